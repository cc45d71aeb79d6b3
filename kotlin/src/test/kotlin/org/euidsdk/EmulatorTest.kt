package org.euidsdk

import java.net.ServerSocket
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.stream.Stream
import kotlin.math.abs
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.EnumSource
import org.junit.jupiter.params.provider.MethodSource

/**
 * The client end to end against the local operator emulator: the flows of the Python suite
 * (`python/tests/test_client.py`, `test_async_client.py`), each through the `suspend` API
 * (in `runBlocking`), the blocking API and the [CompletableFuture] API, plus concurrency.
 *
 * One emulator serves the class; it is reset before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorTest {
    @JvmField
    @RegisterExtension
    val server = SharedEmulator()
    private val emulator: Emulator get() = server.emulator

    /** The three ways to call the client; parameterized tests run each flow through all of them. */
    enum class Api {
        SUSPEND {
            override fun generate(client: PublisherClient, dii: Dii, tcfConsentString: String?) =
                runBlocking { client.generateToken(dii, tcfConsentString) }

            override fun refresh(client: PublisherClient, identity: Identity) =
                runBlocking { client.refreshToken(identity) }

            override fun validate(client: PublisherClient, advertisingToken: String, dii: Dii) =
                runBlocking { client.validateToken(advertisingToken, dii) }
        },
        BLOCKING {
            override fun generate(client: PublisherClient, dii: Dii, tcfConsentString: String?) =
                client.generateTokenBlocking(dii, tcfConsentString)

            override fun refresh(client: PublisherClient, identity: Identity) =
                client.refreshTokenBlocking(identity)

            override fun validate(client: PublisherClient, advertisingToken: String, dii: Dii) =
                client.validateTokenBlocking(advertisingToken, dii)
        },
        FUTURE {
            override fun generate(client: PublisherClient, dii: Dii, tcfConsentString: String?) =
                client.generateTokenAsync(dii, tcfConsentString).await()

            override fun refresh(client: PublisherClient, identity: Identity) =
                client.refreshTokenAsync(identity).await()

            override fun validate(client: PublisherClient, advertisingToken: String, dii: Dii) =
                client.validateTokenAsync(advertisingToken, dii).await()
        };

        abstract fun generate(client: PublisherClient, dii: Dii, tcfConsentString: String? = null): GenerateResult

        abstract fun refresh(client: PublisherClient, identity: Identity): RefreshResult

        abstract fun validate(client: PublisherClient, advertisingToken: String, dii: Dii): Boolean

        /** The future's value, or its failure as thrown by the other forms. */
        protected fun <T> CompletableFuture<T>.await(): T = try {
            get(30, TimeUnit.SECONDS)
        } catch (err: ExecutionException) {
            throw err.cause ?: err
        }

        /** A successful generate's identity. */
        fun generateIdentity(client: PublisherClient, dii: Dii): Identity =
            when (val result = generate(client, dii)) {
                is GenerateResult.Success -> result.identity
                else -> fail("expected a success, got $result")
            }
    }

    @ParameterizedTest
    @EnumSource
    fun `generate returns a usable identity with production lifetimes`(api: Api) {
        val identity = emulator.client().use { api.generateIdentity(it, Dii.email("jane.doe@example.com")) }
        val now = emulator.nowMs()
        assertTrue(identity.advertisingToken.isNotEmpty())
        assertEquals(388, identity.refreshToken.length)
        assertNear(HOUR_MS, identity.refreshFrom - now, 5_000)
        assertNear(3 * DAY_MS, identity.identityExpires - now, 5_000)
        assertNear(30 * DAY_MS, identity.refreshExpires - now, 5_000)
        assertEquals(IdentityStatus.ESTABLISHED, identity.status())
        assertEquals(Advice.USE_AS_IS, identity.advice())
        assertEquals(1, emulator.counters("generate").outcome("success"))
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndIdentifiers")
    fun `every kind of identifier generates a token`(api: Api, kind: String, dii: Dii) {
        emulator.client().use { client ->
            val identity = api.generateIdentity(client, dii)
            assertTrue(api.validate(client, identity.advertisingToken, dii), "the token validates for its $kind")
        }
        assertEquals(1, emulator.counters("generate").outcome("success"))
    }

    @ParameterizedTest
    @EnumSource
    fun `binary envelopes work for generate, refresh and validate`(api: Api) {
        emulator.client(binaryEnvelopes = true).use { client ->
            val identity = api.generateIdentity(client, Dii.email("user@example.com"))
            assertTrue(api.validate(client, identity.advertisingToken, Dii.email("user@example.com")))
            assertTrue(api.refresh(client, identity).isSuccess)
        }
        assertEquals(1, emulator.counters("generate").outcome("success"))
        assertEquals(1, emulator.counters("validate").outcome("success"))
    }

    @ParameterizedTest
    @EnumSource
    fun `an identity survives JSON storage and refreshes after refresh_from`(api: Api) {
        emulator.client().use { client ->
            val identity = api.generateIdentity(client, Dii.email("user@example.com"))
            val stored = identity.toJson()
            emulator.advanceClock(HOUR_MS + 1_000)
            val result = api.refresh(client, Identity.fromJson(stored))
            val refreshed = assertInstanceOf(RefreshResult.Success::class.java, result).identity
            assertNotEquals(identity.refreshToken, refreshed.refreshToken)
            assertNotEquals(identity.refreshResponseKey, refreshed.refreshResponseKey)
            assertTrue(refreshed.identityExpires > identity.identityExpires)
        }
        assertEquals(1, emulator.counters("refresh").outcome("success"))
    }

    @ParameterizedTest
    @EnumSource
    fun `the refresh chain goes on with each new identity`(api: Api) {
        // Three hours pass for the client as for the operator: the validate at the end is on time.
        OffsetClock().use { clock ->
            emulator.client(clock = clock).use { client ->
                var identity = api.generateIdentity(client, Dii.email("chain@example.com"))
                val seen = mutableSetOf(identity.refreshToken)
                repeat(3) {
                    emulator.advanceClock(HOUR_MS + 1_000)
                    clock.advanceMs(HOUR_MS + 1_000)
                    identity = api.refresh(client, identity).identity ?: fail("refresh ${it + 1} did not succeed")
                    assertTrue(seen.add(identity.refreshToken), "every refresh token is new")
                }
                assertTrue(api.validate(client, identity.advertisingToken, Dii.email("chain@example.com")))
            }
        }
        assertEquals(3, emulator.counters("refresh").outcome("success"))
    }

    @ParameterizedTest
    @EnumSource
    fun `opt-out on generate`(api: Api) {
        emulator.client().use { client ->
            assertSame(GenerateResult.OptOut, api.generate(client, Dii.email("optout@example.com")))
            assertSame(GenerateResult.OptOut, api.generate(client, Dii.phone("+00000000000")))
        }
        assertEquals(2, emulator.counters("generate").outcome("optout"))
    }

    @ParameterizedTest
    @EnumSource
    fun `opt-out on refresh ends the chain`(api: Api) {
        emulator.client().use { client ->
            val identity = api.generateIdentity(client, Dii.email("refresh-optout@example.com"))
            assertSame(RefreshResult.OptOut, api.refresh(client, identity))
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `a user opted out through the control API gets opt-out on refresh and generate`(api: Api) {
        emulator.client().use { client ->
            val identity = api.generateIdentity(client, Dii.email("later@example.com"))
            emulator.optOut("email" to "later@example.com")
            assertSame(RefreshResult.OptOut, api.refresh(client, identity))
            assertSame(GenerateResult.OptOut, api.generate(client, Dii.email("later@example.com")))
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `TCF consent gives a token, insufficient consent or a client error`(api: Api) {
        val dii = Dii.email("user@example.com")
        emulator.client().use { client ->
            assertTrue(api.generate(client, dii, CONSENTING_TCF).isSuccess)
            assertSame(GenerateResult.InsufficientConsent, api.generate(client, dii, INSUFFICIENT_TCF))
            val err = assertThrows<ClientErrorException> { api.generate(client, dii, "not-a-tc-string") }
            assertEquals(400, err.httpStatus)
            assertTrue(err.detail.endsWith("User consent is invalid"), err.detail)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `a wrong API key is unauthorized`(api: Api) {
        PublisherClient(emulator.url, "wrong-key", emulator.clientSecret).use { client ->
            val err = assertThrows<UnauthorizedException> { api.generate(client, Dii.email("user@example.com")) }
            assertEquals(ErrorKind.UNAUTHORIZED, err.kind)
            assertFalse(err.toString().contains("wrong-key"))
        }
        assertEquals(1, emulator.counters("generate").outcome("unauthorized"))
    }

    @ParameterizedTest
    @EnumSource
    fun `a wrong client secret is a client error`(api: Api) {
        PublisherClient(emulator.url, emulator.apiKey, OTHER_SECRET).use { client ->
            val err = assertThrows<ClientErrorException> { api.generate(client, Dii.email("user@example.com")) }
            assertTrue(err.detail.contains("Check encryption key"), err.detail)
            assertEquals(400, err.httpStatus)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `validate tells whether a token was generated from an identifier`(api: Api) {
        emulator.client().use { client ->
            val token = api.generateIdentity(client, Dii.email("validate@example.com")).advertisingToken
            assertTrue(api.validate(client, token, Dii.email("validate@example.com")))
            assertFalse(api.validate(client, token, Dii.email("someone.else@example.com")))
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `clock drift is corrected once and remembered`(api: Api) {
        emulator.advanceClock(10 * MINUTE_MS)
        emulator.dateHeader(true) // the rejection's Date header shows the operator's clock
        emulator.client().use { client ->
            assertTrue(api.generate(client, Dii.email("user@example.com")).isSuccess)
            assertNear(10 * MINUTE_MS, client.clockOffsetMs, 2_000)
            assertTrue(api.generate(client, Dii.email("user@example.com")).isSuccess)
        }
        val counters = emulator.counters("generate")
        // One rejection, then every request carries the corrected time.
        assertEquals(1, counters.outcome("client_error"))
        assertEquals(2, counters.outcome("success"))
    }

    @ParameterizedTest
    @EnumSource
    fun `a clock behind the operator is corrected too`(api: Api) {
        emulator.advanceClock(-5 * MINUTE_MS)
        emulator.dateHeader(true)
        emulator.client().use { client ->
            assertTrue(api.generate(client, Dii.email("user@example.com")).isSuccess)
            assertNear(-5 * MINUTE_MS, client.clockOffsetMs, 2_000)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `clock drift without a Date header fails at once`(api: Api) {
        emulator.advanceClock(10 * MINUTE_MS) // as the operator: no Date header to learn from
        emulator.client().use { client ->
            val err = assertThrows<ClockDriftException> { api.generate(client, Dii.email("user@example.com")) }
            assertEquals(ErrorKind.CLOCK_DRIFT, err.kind)
            assertTrue(err.detail.contains("synchronize this machine's clock (NTP)"), err.detail)
        }
        assertEquals(1, emulator.requests("generate"))
    }

    @ParameterizedTest
    @EnumSource
    fun `a 503 then success is retried`(api: Api) {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "status", "status" to 503, "count" to 2))
        emulator.client(maxRetries = 2).use { client ->
            assertTrue(api.generate(client, Dii.email("user@example.com")).isSuccess)
        }
        assertEquals(3, emulator.counters("generate").requests)
    }

    @ParameterizedTest
    @EnumSource
    fun `a persistent 503 is a server error after bounded attempts`(api: Api) {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "status", "status" to 503))
        emulator.client(maxRetries = 2).use { client ->
            val err = assertThrows<ServerErrorException> { api.generate(client, Dii.email("user@example.com")) }
            assertEquals(503, err.httpStatus)
        }
        assertEquals(3, emulator.counters("generate").requests)
    }

    @ParameterizedTest
    @EnumSource
    fun `a slow operator times out within the deadline`(api: Api) {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "latency", "latency_ms" to 3_000))
        val started = System.nanoTime()
        emulator.client(timeout = Duration.ofMillis(300), deadline = Duration.ofSeconds(1)).use { client ->
            val err = assertThrows<EuidTimeoutException> { api.generate(client, Dii.email("user@example.com")) }
            assertEquals(ErrorKind.TIMEOUT, err.kind)
        }
        val elapsed = Duration.ofNanos(System.nanoTime() - started)
        assertTrue(elapsed < Duration.ofSeconds(2), "took $elapsed")
    }

    @ParameterizedTest
    @EnumSource
    fun `expired and invalid refresh tokens are outcomes`(api: Api) {
        emulator.client().use { client ->
            val identity = api.generateIdentity(client, Dii.email("user@example.com"))
            emulator.advanceClock(31 * DAY_MS)
            assertSame(RefreshResult.ExpiredToken, api.refresh(client, identity))

            val forged = Identity(
                identity.advertisingToken, "A".repeat(388), identity.identityExpires, identity.refreshFrom,
                identity.refreshExpires, identity.refreshResponseKey,
            )
            assertThrows<ClientErrorException> { api.refresh(client, forged) }

            val short = Identity("x", "not-a-v2-token", 1, 1, 2)
            assertSame(RefreshResult.InvalidToken, api.refresh(client, short))
        }
        assertEquals(1, emulator.counters("refresh").outcome("expired_token"))
    }

    @ParameterizedTest
    @EnumSource
    fun `an unreachable operator is a network error`(api: Api) {
        val closedPort = ServerSocket(0).use { it.localPort }
        PublisherClient("http://127.0.0.1:$closedPort", "key", OTHER_SECRET, maxRetries = 0).use { client ->
            val err = assertThrows<NetworkException> { api.generate(client, Dii.email("user@example.com")) }
            assertEquals(ErrorKind.NETWORK, err.kind)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `invalid input fails before any request`(api: Api) {
        emulator.client().use { client ->
            val err = assertThrows<InvalidInputException> { api.generate(client, Dii.email("not an email")) }
            assertEquals(ErrorKind.INVALID_EMAIL, err.kind)
            assertThrows<InvalidInputException> { api.generate(client, Dii.phone("12345")) }
        }
        assertEquals(0, emulator.counters("generate").requests)
    }

    @ParameterizedTest
    @EnumSource
    fun `a closed client refuses calls with ClientClosedException`(api: Api) {
        val client = emulator.client()
        val identity = client.generateTokenBlocking(Dii.email("user@example.com")).identity ?: fail("generate failed")
        client.close()
        client.close() // closing again does nothing
        val refusals = listOf(
            assertThrows<ClientClosedException> { api.generate(client, Dii.email("user@example.com")) },
            assertThrows<ClientClosedException> { api.refresh(client, identity) },
            assertThrows<ClientClosedException> { api.validate(client, identity.advertisingToken, Dii.email("user@example.com")) },
        )
        for (err in refusals) {
            assertEquals(ErrorKind.CLOSED, err.kind)
            assertEquals("the client is closed", err.detail)
            assertFalse(err.isRetryable)
            assertNull(err.httpStatus)
        }
        assertEquals(1, emulator.counters("generate").requests)
        assertEquals(0, emulator.counters("refresh").requests)
    }

    @Test
    fun `fifty concurrent generates with coroutines all succeed and differ`() {
        val results = emulator.client().use { client ->
            runBlocking {
                coroutineScope {
                    (0 until 50).map { async { client.generateToken(Dii.email("user$it@example.com")) } }.awaitAll()
                }
            }
        }
        val tokens = results.map { it.identity?.advertisingToken ?: fail("expected a success, got $it") }
        assertEquals(50, tokens.toSet().size)
        assertEquals(50, emulator.counters("generate").outcome("success"))
    }

    @Test
    fun `closing a client during a blocking call lets the call finish`() {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "latency", "latency_ms" to 500))
        val client = emulator.client()
        val pool = Executors.newSingleThreadExecutor()
        try {
            val call = pool.submit<GenerateResult> { client.generateTokenBlocking(Dii.email("user@example.com")) }
            val deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos()
            while (emulator.counters("generate").requests == 0L) {
                assertTrue(System.nanoTime() < deadline, "the request never reached the emulator")
                Thread.sleep(5)
            }
            client.close()
            assertFalse(call.isDone, "the call ended before the client was closed")
            assertTrue(call.get(10, TimeUnit.SECONDS).isSuccess)
            assertThrows<ClientClosedException> { client.generateTokenBlocking(Dii.email("user@example.com")) }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun `a cancelled suspend call returns at once and later calls still complete`() {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "latency", "latency_ms" to 1_000, "count" to 1))
        emulator.client().use { client ->
            runBlocking {
                val started = System.nanoTime()
                val slow = withTimeoutOrNull(200) { client.generateToken(Dii.email("slow@example.com")) }
                assertEquals(null, slow)
                assertTrue(Duration.ofNanos(System.nanoTime() - started) < Duration.ofMillis(900))
                // The cancelled call's result arrives later and is dropped; these get their own.
                val results = (0 until 4).map { async { client.generateToken(Dii.email("user$it@example.com")) } }
                assertTrue(results.awaitAll().all { it.isSuccess })
                delay(1_000)
                assertTrue(client.generateToken(Dii.email("after@example.com")).isSuccess)
            }
        }
        assertEquals(6, emulator.counters("generate").requests)
    }

    @Test
    fun `concurrent requests overlap instead of queueing`() {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "latency", "latency_ms" to 300))
        val started = System.nanoTime()
        emulator.client().use { client ->
            runBlocking {
                val results = (0 until 10).map { async { client.generateToken(Dii.email("user$it@example.com")) } }
                assertTrue(results.awaitAll().all { it.isSuccess })
            }
        }
        // Ten requests of 300 ms each finish together, not in three seconds.
        val elapsed = Duration.ofNanos(System.nanoTime() - started)
        assertTrue(elapsed < Duration.ofSeconds(2), "took $elapsed")
    }

    @Test
    fun `the CompletableFuture forms deliver every result`() {
        val dii = Dii.email("future@example.com")
        OffsetClock().use { clock ->
            emulator.client(clock = clock).use { client ->
                val futures = (0 until 8).map { client.generateTokenAsync(Dii.email("user$it@example.com")) }
                CompletableFuture.allOf(*futures.toTypedArray()).get(30, TimeUnit.SECONDS)
                assertTrue(futures.all { it.get().isSuccess })

                val result = client.generateTokenAsync(dii).get(30, TimeUnit.SECONDS)
                val identity = assertInstanceOf(GenerateResult.Success::class.java, result).identity
                assertTrue(client.validateTokenAsync(identity.advertisingToken, dii).get(30, TimeUnit.SECONDS))
                emulator.advanceClock(HOUR_MS + 1_000)
                clock.advanceMs(HOUR_MS + 1_000) // an hour passes for the client too
                assertTrue(client.refreshTokenAsync(identity).get(30, TimeUnit.SECONDS).isSuccess)
                val consent = client.generateTokenAsync(dii, INSUFFICIENT_TCF).get(30, TimeUnit.SECONDS)
                assertSame(GenerateResult.InsufficientConsent, consent)
            }
        }
        // Eight plus one successes; the consent answer after the clock moved is not one.
        assertEquals(9, emulator.counters("generate").outcome("success"))
        assertEquals(1, emulator.counters("generate").outcome("insufficient_user_consent"))
    }

    @Test
    fun `a CompletableFuture failure is an ExecutionException caused by the typed exception`() {
        PublisherClient(emulator.url, "wrong-key", emulator.clientSecret).use { client ->
            val future = client.generateTokenAsync(Dii.email("user@example.com"))
            val err = assertThrows<ExecutionException> { future.get(30, TimeUnit.SECONDS) }
            val cause = assertInstanceOf(UnauthorizedException::class.java, err.cause)
            assertEquals(ErrorKind.UNAUTHORIZED, cause.kind)
            assertTrue(future.isCompletedExceptionally)
        }
        emulator.client().use { client ->
            val future = client.generateTokenAsync(Dii.email("not an email"))
            val err = assertThrows<ExecutionException> { future.get(30, TimeUnit.SECONDS) }
            assertInstanceOf(InvalidInputException::class.java, err.cause)
        }
    }

    @Test
    fun `sixteen threads share one client with the blocking API`() {
        val threads = 16
        val callsPerThread = 4
        val pool = Executors.newFixedThreadPool(threads)
        val tokens = try {
            emulator.client().use { client ->
                (0 until threads).map { thread ->
                    pool.submit<List<String>> {
                        (0 until callsPerThread).map { call ->
                            val dii = Dii.email("thread$thread.call$call@example.com")
                            val identity = client.generateTokenBlocking(dii).identity ?: fail("generate failed")
                            check(client.validateTokenBlocking(identity.advertisingToken, dii))
                            identity.advertisingToken
                        }
                    }
                }.flatMap { it.get(60, TimeUnit.SECONDS) }
            }
        } finally {
            pool.shutdownNow()
        }
        assertEquals(threads * callsPerThread, tokens.toSet().size)
        assertEquals(threads * callsPerThread.toLong(), emulator.counters("generate").outcome("success"))
        assertEquals(threads * callsPerThread.toLong(), emulator.counters("validate").outcome("success"))
    }

    private fun assertNear(expected: Long, actual: Long, tolerance: Long) {
        assertTrue(abs(actual - expected) <= tolerance, "expected $expected ± $tolerance, got $actual")
    }

    private fun apisAndIdentifiers(): Stream<Arguments> {
        val identifiers = listOf(
            "email" to Dii.email("user@example.com"),
            "phone" to Dii.phone("+12345678901"),
            "email_hash" to Dii.emailHash(hashEmail("user@example.com")),
            "phone_hash" to Dii.phoneHash(hashPhone("+12345678901")),
            "raw_email" to Dii.rawEmail("user@example.com"),
            "raw_phone" to Dii.rawPhone("+12345678901"),
        )
        return Api.entries.flatMap { api -> identifiers.map { (kind, dii) -> Arguments.of(api, kind, dii) } }.stream()
    }

    private companion object {
        // Consent strings of the official SDKs' tests (protocol notes, section 3).
        const val CONSENTING_TCF = "CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA"
        const val INSUFFICIENT_TCF = "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA"
        const val OTHER_SECRET = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
        const val MINUTE_MS = 60_000L
        const val HOUR_MS = 60 * MINUTE_MS
        const val DAY_MS = 24 * HOUR_MS
    }
}
