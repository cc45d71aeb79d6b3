// JVM benchmarks: org.euidsdk:euid-sdk side by side with the official com.uid2:uid2-client.
//
//   java -cp ... org.euidsdk.bench.BenchKt FIXTURE URL API_KEY SECRET OUT.json [REPS [ONLY
//       [LATENCY_REPS [LATENCY_CALLS]]]]
//
// A careful harness rather than JMH: each case warms up (a second for in-process calls, so the
// JIT has compiled them), then runs REPS repetitions of about half a second; the figure is the
// median over repetitions of the mean time per call, with min and max, and beside it the
// process CPU time (user + system, all threads) per call over the same repetitions. Network
// cases count their successes, and a failing call fails the run. The `*_10ms` cases run with
// the emulator answering after 10 ms (a latency fault for their duration), in LATENCY_REPS
// (default 3) repetitions of LATENCY_CALLS (default 250) calls.
package org.euidsdk.bench

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import com.uid2.client.EnvelopeV2
import com.uid2.client.IdentityTokens
import com.uid2.client.InputUtil
import com.uid2.client.PublisherUid2Client
import com.uid2.client.PublisherUid2Helper
import com.uid2.client.TokenGenerateInput
import java.io.File
import java.lang.management.ManagementFactory
import java.security.SecureRandom
import java.util.Base64
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.euidsdk.Dii
import org.euidsdk.Envelope
import org.euidsdk.GenerateResult
import org.euidsdk.Identity
import org.euidsdk.PublisherClient
import org.euidsdk.RefreshResult
import org.euidsdk.hashEmail
import org.euidsdk.hashEmails

const val IN_FLIGHT = 32
const val REP_NANOS = 500_000_000L

val results = mutableListOf<Map<String, Any>>()
var reps = 7
var only: Set<String> = emptySet()
const val LATENCY_MS = 10

/** This process's CPU time so far (user + system, all threads), in ns. */
val processCpu: () -> Long = (ManagementFactory.getOperatingSystemMXBean()
    as com.sun.management.OperatingSystemMXBean).let { bean -> { bean.processCpuTime } }

fun median(values: List<Double>): Double = values.sorted().let { s ->
    if (s.size % 2 == 1) s[s.size / 2] else (s[s.size / 2 - 1] + s[s.size / 2]) / 2
}

/** The batch every language hashes (see core/benches/core.rs). */
fun batchEmails(): List<String> = (0 until 10_000).map { i ->
    if (i % 4 == 0) "First.Last$i+x@GMail.com" else "User.Name$i+tag@Example${i % 100}.com"
}

/** [run] makes n calls and returns how many failed; [calls] fixes the calls per repetition. */
fun case(op: String, impl: String, inFlight: Int = 1, warmNanos: Long = 1_000_000_000L,
         unit: String = "call", repetitions: Int = reps, calls: Int = 0, run: (Int) -> Int) {
    if (only.isNotEmpty() && op !in only) return
    var failures = 0
    var warmCalls = 0
    var batch = inFlight
    val warmStart = System.nanoTime()
    while (System.nanoTime() - warmStart < warmNanos) {
        failures += run(batch)
        warmCalls += batch
        if (batch < 1_000_000) batch *= 2
    }
    val perCall = (System.nanoTime() - warmStart).toDouble() / warmCalls
    var n = maxOf(inFlight, if (calls > 0) calls else (REP_NANOS / perCall).toInt())
    n -= n % inFlight
    val samples = mutableListOf<Double>()
    val cpu = mutableListOf<Double>()
    var ops = 0L
    repeat(repetitions) {
        val cpuStarted = processCpu()
        val started = System.nanoTime()
        failures += run(n)
        samples += (System.nanoTime() - started) / 1e3 / n
        cpu += (processCpu() - cpuStarted) / 1e3 / n
        ops += n
    }
    val median = median(samples)
    results += mapOf(
        "op" to op, "impl" to impl, "unit" to unit, "median_us" to median,
        "min_us" to samples.min(), "max_us" to samples.max(), "reps" to samples.size,
        "samples_us" to samples, "cpu_median_us" to median(cpu), "cpu_min_us" to cpu.min(),
        "cpu_max_us" to cpu.max(), "cpu_samples_us" to cpu, "ops" to ops, "failures" to failures,
        "in_flight" to inFlight, "per_second" to 1e6 / median,
    )
    System.err.println(String.format("  %-24s %-18s %12.2f us/%s  [%.2f .. %.2f]  CPU %.2f us/%s  failures %d",
        op, impl, median, unit, samples.min(), samples.max(), median(cpu), unit, failures))
}

fun loop(op: () -> Any?): (Int) -> Int = { n -> repeat(n) { op() }; 0 }

fun counting(op: () -> Boolean): (Int) -> Int = { n ->
    var failed = 0
    repeat(n) { failed += try { if (op()) 0 else 1 } catch (e: Exception) { 1 } }
    failed
}

fun threaded(pool: java.util.concurrent.ExecutorService, op: () -> Boolean): (Int) -> Int {
    val single = counting(op)
    return { n ->
        val share = maxOf(1, n / IN_FLIGHT)
        pool.invokeAll((0 until IN_FLIGHT).map { Callable { single(share) } }).sumOf { it.get() }
    }
}

fun coroutines(op: suspend () -> Boolean): (Int) -> Int = { n ->
    val share = maxOf(1, n / IN_FLIGHT)
    runBlocking(Dispatchers.Default) {
        (0 until IN_FLIGHT).map {
            async {
                var failed = 0
                repeat(share) { failed += try { if (op()) 0 else 1 } catch (e: Exception) { 1 } }
                failed
            }
        }.awaitAll().sum()
    }
}


fun main(args: Array<String>) {
    val (fixturePath, url, apiKey, secret, out) = args
    if (args.size > 5) reps = args[5].toInt()
    if (args.size > 6) only = args[6].split(",").filter { it.isNotEmpty() }.toSet()
    val latencyReps = if (args.size > 7) args[7].toInt() else 3
    val latencyCalls = if (args.size > 8) args[8].toInt() else 250
    val fixture = JsonParser.parseString(File(fixturePath).readText()).asJsonObject
    val text = { name: String -> fixture.get(name).asString }
    val email = text("email")
    val emails = batchEmails()
    check(hashEmail(email) == InputUtil.normalizeAndHashEmail(email))
    check(hashEmails(emails) == emails.map { InputUtil.normalizeAndHashEmail(it) })

    // --- hashing
    case("hash_single", "ours", run = loop { hashEmail(email) })
    case("hash_single", "official", run = loop { InputUtil.normalizeAndHashEmail(email) })
    case("hash_batch_10000", "ours", unit = "batch", run = loop { hashEmails(emails) })
    case("hash_batch_10000", "official", unit = "batch",
        run = loop { emails.map { InputUtil.normalizeAndHashEmail(it) } })

    // --- envelopes in process: the same key, payload sizes and answer bytes
    val secretB64 = text("secret")
    val nonce = Base64.getDecoder().decode(text("nonce_b64"))
    val emailHash = hashEmail(email)
    val oursPayload = text("request_payload").toByteArray()
    val helper = PublisherUid2Helper(secretB64)
    val officialInput = TokenGenerateInput.fromHashedEmail(emailHash)
    val generateBody = Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text("generate_response_b64")))
    val generateBodyBytes = generateBody.toByteArray()
    val refreshBody = Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text("refresh_response_b64")))
    val refreshBodyBytes = refreshBody.toByteArray()
    val identityJson = text("identity_json")
    val refreshKey = (JsonParser.parseString(identityJson) as JsonObject).get("refresh_response_key").asString
    val officialTokens = IdentityTokens.fromJsonString(identityJson)
    // The official helper keeps the nonce inside its (package-private) envelope type.
    val officialEnvelope = EnvelopeV2::class.java.getDeclaredConstructor(ByteArray::class.java, ByteArray::class.java)
        .apply { isAccessible = true }.newInstance(ByteArray(0), nonce)
    val random = SecureRandom()

    val oursSeal = {
        val n = ByteArray(8).also(random::nextBytes)
        val iv = ByteArray(12).also(random::nextBytes)
        Base64.getEncoder().encodeToString(Envelope.sealRequest(secretB64, oursPayload, System.currentTimeMillis(), n, iv))
    }
    val officialSeal = { helper.createEnvelopeForTokenGenerateRequest(officialInput).envelope }
    val oursOpen = {
        check(Envelope.decryptGenerateResponse(secretB64, generateBodyBytes, nonce, false) is GenerateResult.Success)
    }
    val officialOpen = { check(helper.createTokenGenerateResponse(generateBody, officialEnvelope).isSuccess) }
    case("envelope_create", "ours", run = loop(oursSeal))
    case("envelope_create", "official", run = loop(officialSeal))
    case("response_decrypt", "ours", run = loop(oursOpen))
    case("response_decrypt", "official", run = loop(officialOpen))
    case("envelope_round_trip", "ours", run = loop { oursSeal(); oursOpen() })
    case("envelope_round_trip", "official", run = loop { officialSeal(); officialOpen() })
    case("refresh_decrypt", "ours", run = loop {
        check(Envelope.decryptRefreshResponse(refreshKey, refreshBodyBytes) is RefreshResult.Success)
    })
    case("refresh_decrypt", "official", run = loop {
        check(PublisherUid2Helper.createTokenRefreshResponse(refreshBody, officialTokens).isSuccess)
    })

    // --- against the emulator
    val ours = PublisherClient(url, apiKey, secret)
    val official = PublisherUid2Client(url, apiKey, secret)
    val first = ours.generateTokenBlocking(Dii.email(email))
    check(first is GenerateResult.Success) { "ours: $first" }
    val oursIdentity: Identity = first.identity!!
    val officialFirst = official.generateTokenResponse(TokenGenerateInput.fromEmail(email))
    check(officialFirst.isSuccess) { "official generate failed" }
    val officialIdentity = officialFirst.identity

    val oursGenerate = { ours.generateTokenBlocking(Dii.email(email)) is GenerateResult.Success }
    val officialGenerate = { official.generateTokenResponse(TokenGenerateInput.fromEmail(email)).isSuccess }
    val oursRefresh = { ours.refreshTokenBlocking(oursIdentity) is RefreshResult.Success }
    val officialRefresh = { official.refreshToken(officialIdentity).isSuccess }
    val net = 500_000_000L
    case("generate_seq", "ours", warmNanos = net, run = counting(oursGenerate))
    case("generate_seq", "ours_suspend", warmNanos = net, run = counting {
        runBlocking { ours.generateToken(Dii.email(email)) is GenerateResult.Success }
    })
    case("generate_seq", "official", warmNanos = net, run = counting(officialGenerate))
    case("refresh_seq", "ours", warmNanos = net, run = counting(oursRefresh))
    case("refresh_seq", "official", warmNanos = net, run = counting(officialRefresh))

    val slow = listOf("generate_seq_${LATENCY_MS}ms", "refresh_seq_${LATENCY_MS}ms")
    if (only.isEmpty() || slow.any { it in only }) {
        val firstSlow = results.size
        withEmulatorLatency(url, LATENCY_MS) {
            for ((op, calls) in listOf(slow[0] to listOf(oursGenerate, officialGenerate),
                                       slow[1] to listOf(oursRefresh, officialRefresh))) {
                for ((impl, call) in listOf("ours", "official").zip(calls)) {
                    case(op, impl, warmNanos = 300_000_000L, repetitions = latencyReps,
                        calls = latencyCalls, run = counting(call))
                }
            }
        }
        for (r in results.drop(firstSlow)) { // the fault applied to every call
            check((r["min_us"] as Double) >= LATENCY_MS * 1000.0) { "no latency: $r" }
        }
    }

    val pool = Executors.newFixedThreadPool(IN_FLIGHT)
    val oursGenerateSuspend: suspend () -> Boolean = { ours.generateToken(Dii.email(email)) is GenerateResult.Success }
    val oursRefreshSuspend: suspend () -> Boolean = { ours.refreshToken(oursIdentity) is RefreshResult.Success }
    case("generate_32", "ours_suspend", IN_FLIGHT, net, run = coroutines(oursGenerateSuspend))
    case("generate_32", "ours", IN_FLIGHT, net, run = threaded(pool, oursGenerate))
    case("generate_32", "official", IN_FLIGHT, net, run = threaded(pool, officialGenerate))
    case("refresh_32", "ours_suspend", IN_FLIGHT, net, run = coroutines(oursRefreshSuspend))
    case("refresh_32", "ours", IN_FLIGHT, net, run = threaded(pool, oursRefresh))
    case("refresh_32", "official", IN_FLIGHT, net, run = threaded(pool, officialRefresh))

    pool.shutdown()
    ours.close()

    val failed = results.count { (it["failures"] as Int) > 0 }
    val json = com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(mapOf(
        "jdk" to System.getProperty("java.runtime.version"),
        "vm" to System.getProperty("java.vm.name"),
        "uid2_client" to (PublisherUid2Client::class.java.`package`.implementationVersion ?: "4.8.0"),
        "results" to results,
    ))
    File(out).writeText(json)
    if (failed > 0) {
        System.err.println("$failed cases had failing calls")
        kotlin.system.exitProcess(1)
    }
    kotlin.system.exitProcess(0)
}
