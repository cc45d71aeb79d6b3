package org.euidsdk

import org.junit.jupiter.api.extension.AfterAllCallback
import org.junit.jupiter.api.extension.BeforeAllCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * A running `euid-emulator` process (the binary named by the system property `emulator.bin`)
 * and its control API under `/emulator/`. Start it with [start]; [close] closes its standard
 * input, which stops it. [toString] never shows the credentials.
 */
class Emulator private constructor(
    private val process: Process,
    /** The operator URL, `http://127.0.0.1:<port>` (`https://` with `--tls-cert`). */
    val url: String,
    /** The API key the emulator accepts. */
    val apiKey: String,
    /** The client secret the emulator uses. */
    val clientSecret: String,
) : AutoCloseable {
    private val http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build()

    /** Calls `<method> /emulator/<path>` with [body] as JSON; returns the JSON answer. */
    fun control(method: String, path: String, body: Any? = null): JsonNode {
        val publisher = if (body == null) {
            HttpRequest.BodyPublishers.noBody()
        } else {
            HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))
        }
        val request = HttpRequest.newBuilder(URI.create("$url/emulator/$path"))
            .method(method, publisher)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) {
            "$method /emulator/$path answered ${response.statusCode()}: ${response.body()}"
        }
        return mapper.readTree(response.body())
    }

    /** Clears the clock offset, opt-outs, faults and counters. */
    fun reset() {
        control("POST", "reset")
    }

    /** Moves the emulator's clock by [ms] (negative moves it back). */
    fun advanceClock(ms: Long) {
        control("POST", "clock", mapOf("advance_ms" to ms))
    }

    /**
     * Whether the emulator's answers carry a `Date` header, as a load balancer in front of the
     * operator may add (the operator sends none, nor does the emulator after a reset).
     */
    fun dateHeader(on: Boolean) {
        control("POST", "clock", mapOf("date_header" to on))
    }

    /** The emulator's now, in epoch milliseconds. */
    fun nowMs(): Long = control("GET", "clock")["now_ms"].asLong()

    /** Opts a user out: `optOut("email" to "user@example.com")`. */
    fun optOut(identifier: Pair<String, String>) {
        control("POST", "optout", mapOf(identifier))
    }

    /** Replaces the fault list, e.g. `mapOf("endpoint" to "generate", "kind" to "status", "status" to 503)`. */
    fun faults(vararg faults: Map<String, Any>) {
        control("POST", "faults", mapOf("faults" to faults.toList()))
    }

    /** Replaces the fault list with [faults], a JSON array in the control API's format. */
    fun faults(faults: JsonNode) {
        check(faults.isArray) { "faults must be a JSON array" }
        control("POST", "faults", mapOf("faults" to faults))
    }

    /** Clears the fault list. */
    fun clearFaults() {
        control("DELETE", "faults")
    }

    /** The requests [endpoint] (`generate`, `refresh`, `validate`) received since the last reset. */
    fun requests(endpoint: String): Long = counters(endpoint).requests

    /** The counters of [endpoint] (`generate`, `refresh`, `validate`). */
    fun counters(endpoint: String): Counters = Counters(control("GET", "counters")[endpoint])

    /** A client of this emulator with the given settings (the SDK defaults otherwise). */
    fun client(
        timeout: Duration = Duration.ofSeconds(5),
        deadline: Duration = Duration.ofSeconds(15),
        maxRetries: Int = 2,
        binaryEnvelopes: Boolean = false,
        clock: OffsetClock? = null,
    ): PublisherClient = PublisherClient(
        url, apiKey, clientSecret,
        timeout = timeout, deadline = deadline, maxRetries = maxRetries, binaryEnvelopes = binaryEnvelopes,
        clock = clock,
    )

    /** Stops the emulator by closing its standard input; later calls do nothing. */
    override fun close() {
        process.outputStream.close()
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor()
        }
    }

    override fun toString(): String = "Emulator(url=$url, credentials=<redacted>)"

    /** One endpoint's counters. */
    class Counters(private val node: JsonNode) {
        /** Requests received. */
        val requests: Long get() = node["requests"].asLong()

        /** How many requests ended with [outcome] (`success`, `client_error`, ...). */
        fun outcome(outcome: String): Long = node["outcomes"].path(outcome).asLong(0)
    }

    companion object {
        private val mapper = ObjectMapper()

        /**
         * Starts the binary with `--port 0` and reads the JSON line it prints. Each call starts a
         * process of its own, e.g. one per test for a test that stops it.
         *
         * @param apiKey the API key to accept; null (the default) for a random one.
         * @param clientSecret the base64 client secret (32 bytes); null (the default) for a random one.
         * @param extraArgs more arguments, e.g. `--tls-cert` and `--tls-key` for HTTPS.
         */
        fun start(apiKey: String? = null, clientSecret: String? = null, extraArgs: List<String> = emptyList()): Emulator {
            val bin = File(System.getProperty("emulator.bin") ?: error("the system property emulator.bin is not set"))
            check(bin.canExecute()) { "the emulator binary is missing: $bin (cargo build --release -p euid-emulator)" }
            val command = mutableListOf(bin.path, "--port", "0")
            apiKey?.let { command += listOf("--api-key", it) }
            clientSecret?.let { command += listOf("--client-secret", it) }
            command += extraArgs
            val process = ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
            val line = process.inputStream.bufferedReader().readLine()
            if (line == null) {
                process.destroyForcibly()
                error("the emulator exited before printing its address")
            }
            val info = mapper.readTree(line)
            return Emulator(process, info["url"].asText(), info["api_key"].asText(), info["client_secret"].asText())
        }
    }
}

/**
 * One emulator for a test class (`@TestInstance(PER_CLASS)`), started before its first test,
 * reset before each test and stopped after the last:
 * `@JvmField @RegisterExtension val server = SharedEmulator()`.
 */
class SharedEmulator(
    private val apiKey: String? = null,
    private val clientSecret: String? = null,
) : BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    lateinit var emulator: Emulator
        private set

    override fun beforeAll(context: ExtensionContext) {
        emulator = Emulator.start(apiKey, clientSecret)
    }

    override fun beforeEach(context: ExtensionContext) {
        emulator.reset()
    }

    override fun afterAll(context: ExtensionContext) {
        emulator.close()
    }
}
