package org.euidsdk

import java.io.IOException
import java.time.Duration
import java.util.Collections
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
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
import org.junit.jupiter.params.provider.EnumSource

/**
 * The identity manager end to end against the emulator: single-flight refresh proven by the
 * emulator's counters, independent users, every "nothing is lost" rule under injected faults, a
 * failing store, the status listener, and the browser cookie hand-off. Mirrors
 * `core/tests/client/manager.rs` through the public Kotlin API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagerTest {
    @JvmField
    @RegisterExtension
    val server = SharedEmulator()
    private val emulator: Emulator get() = server.emulator

    /**
     * A manager over a client of the emulator. The manager gets no clock of its own: it uses the
     * client's, which [advance] moves with the emulator's.
     */
    private inner class Fixture(
        val store: IdentityStore? = MemoryStore(),
        listener: StatusListener? = null,
        maxRetries: Int = 0,
    ) : AutoCloseable {
        val clock = OffsetClock()
        val client = emulator.client(maxRetries = maxRetries, clock = clock)
        val manager = IdentityManager(client, store, listener = listener)

        fun advance(ms: Long) {
            emulator.advanceClock(ms)
            clock.advanceMs(ms)
        }

        /** Establishes [user] and returns the new token. */
        fun establish(user: String, email: String = "$user@example.com"): String =
            when (val result = manager.establishBlocking(user, Dii.email(email))) {
                is GenerateResult.Success -> result.identity.advertisingToken
                else -> fail("expected a success, got $result")
            }

        override fun close() {
            manager.close()
            client.close()
            clock.close()
        }
    }

    /** The three ways to call the manager; parameterized tests run a rule through each. */
    enum class Api {
        SUSPEND {
            override fun establish(manager: IdentityManager, user: String, dii: Dii) =
                runBlocking { manager.establish(user, dii) }

            override fun token(manager: IdentityManager, user: String) = runBlocking { manager.advertisingToken(user) }
        },
        BLOCKING {
            override fun establish(manager: IdentityManager, user: String, dii: Dii) =
                manager.establishBlocking(user, dii)

            override fun token(manager: IdentityManager, user: String) = manager.advertisingTokenBlocking(user)
        },
        FUTURE {
            override fun establish(manager: IdentityManager, user: String, dii: Dii) =
                manager.establishAsync(user, dii).await()

            override fun token(manager: IdentityManager, user: String) = manager.advertisingTokenAsync(user).await()
        };

        abstract fun establish(manager: IdentityManager, user: String, dii: Dii): GenerateResult

        abstract fun token(manager: IdentityManager, user: String): TokenAnswer

        /** The future's value, or its failure as the other forms throw it. */
        protected fun <T> CompletableFuture<T>.await(): T = try {
            get(30, TimeUnit.SECONDS)
        } catch (err: ExecutionException) {
            throw err.cause ?: err
        }
    }

    // Single flight

    @Test
    fun `a hundred coroutines share one refresh`() {
        Fixture().use { f ->
            val before = f.establish("alice")
            f.advance(HOUR_MS)
            // A slow refresh keeps the flight open while every caller joins it.
            emulator.faults(mapOf("endpoint" to "refresh", "kind" to "latency", "latency_ms" to 200))
            val answers = runBlocking {
                coroutineScope {
                    (1..100).map { async(Dispatchers.Default) { f.manager.advertisingToken("alice") } }.awaitAll()
                }
            }
            assertEquals(1, emulator.requests("refresh"))
            val tokens = answers.map { it.advertisingToken ?: fail("no token: $it") }.toSet()
            assertEquals(1, tokens.size, "every caller got the same token")
            assertNotEquals(before, tokens.single(), "the token is the refreshed one")
        }
    }

    @Test
    fun `a hundred threads share one refresh with the blocking API`() {
        val threads = 100
        val pool = Executors.newFixedThreadPool(threads)
        try {
            Fixture().use { f ->
                val before = f.establish("alice")
                f.advance(HOUR_MS)
                emulator.faults(mapOf("endpoint" to "refresh", "kind" to "latency", "latency_ms" to 200))
                val ready = CountDownLatch(threads)
                val start = CountDownLatch(1)
                val calls = (1..threads).map {
                    pool.submit<TokenAnswer> {
                        ready.countDown()
                        start.await()
                        f.manager.advertisingTokenBlocking("alice")
                    }
                }
                assertTrue(ready.await(30, TimeUnit.SECONDS), "every thread started")
                start.countDown()
                val tokens = calls.map { it.get(30, TimeUnit.SECONDS).advertisingToken ?: fail("no token") }.toSet()
                assertEquals(1, emulator.requests("refresh"))
                assertEquals(1, tokens.size, "every thread got the same token")
                assertNotEquals(before, tokens.single())
            }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun `a slow refresh for one user does not block another`() {
        Fixture().use { f ->
            val slowBefore = f.establish("slow")
            val fastBefore = f.establish("fast")
            f.advance(HOUR_MS)
            // Only the first refresh is slow: both users are due, and only "slow" may wait.
            emulator.faults(
                mapOf("endpoint" to "refresh", "kind" to "latency", "latency_ms" to 1_500, "count" to 1),
            )
            val slow = f.manager.advertisingTokenAsync("slow")
            waitUntil { emulator.requests("refresh") == 1L }
            val started = System.nanoTime()
            val fast = f.manager.advertisingTokenBlocking("fast")
            val elapsed = Duration.ofNanos(System.nanoTime() - started)
            assertTrue(elapsed < Duration.ofMillis(700), "the other user waited $elapsed")
            assertFalse(slow.isDone, "the slow refresh was still in flight")
            assertNotEquals(fastBefore, fast.advertisingToken ?: fail("no token for fast"))
            val slowAnswer = slow.get(30, TimeUnit.SECONDS)
            assertNotEquals(slowBefore, slowAnswer.advertisingToken ?: fail("no token for slow"))
            assertEquals(2, emulator.requests("refresh"))
        }
    }

    // Nothing is lost

    @ParameterizedTest
    @EnumSource
    fun `a transient failure while the token is valid returns it and keeps the identity`(api: Api) {
        Fixture().use { f ->
            val token = f.establish("alice")
            val stored = f.store!!.load("alice")
            f.advance(HOUR_MS)
            emulator.faults(mapOf("endpoint" to "refresh", "kind" to "status", "status" to 503))
            assertEquals(TokenAnswer.Token(token), api.token(f.manager, "alice"))
            assertEquals(stored, f.store.load("alice"), "the stored identity is unchanged")
            assertEquals(1, emulator.requests("refresh"))
            emulator.clearFaults()
            assertNotEquals(token, api.token(f.manager, "alice").advertisingToken)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `a transient failure after expiry throws a typed exception and keeps the identity`(api: Api) {
        Fixture().use { f ->
            val token = f.establish("alice")
            val stored = f.store!!.load("alice")
            f.advance(3 * DAY_MS + 1_000)
            emulator.faults(mapOf("endpoint" to "refresh", "kind" to "status", "status" to 503))
            val server = assertThrows<ServerErrorException> { api.token(f.manager, "alice") }
            assertEquals(ErrorKind.SERVER_ERROR, server.kind)
            assertEquals(503, server.httpStatus)
            assertEquals(stored, f.store.load("alice"))

            emulator.faults(mapOf("endpoint" to "refresh", "kind" to "close"))
            val network = assertThrows<NetworkException> { api.token(f.manager, "alice") }
            assertEquals(ErrorKind.NETWORK, network.kind)
            assertEquals(stored, f.store.load("alice"))
            assertEquals(IdentityStatus.EXPIRED, f.manager.status("alice"))

            emulator.clearFaults()
            assertNotEquals(token, api.token(f.manager, "alice").advertisingToken)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `an opt-out on refresh deletes the identity and sets the marker`(api: Api) {
        Fixture().use { f ->
            f.establish("rita", "refresh-optout@example.com")
            f.advance(HOUR_MS)
            assertSame(TokenAnswer.OptedOut, api.token(f.manager, "rita"))
            assertNull(f.store!!.load("rita"))
            assertTrue(f.store.isOptedOut("rita"))
            assertEquals(IdentityStatus.OPTOUT, f.manager.status("rita"))
            assertFalse(TokenAnswer.OptedOut.needsLogin)
            // The marker stops every later request for this user.
            assertSame(GenerateResult.OptOut, api.establish(f.manager, "rita", Dii.email("refresh-optout@example.com")))
            assertEquals(1, emulator.requests("generate"))
            assertEquals(1, emulator.requests("refresh"))
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `an expired refresh token is deleted without a request`(api: Api) {
        Fixture().use { f ->
            f.establish("alice")
            f.advance(30 * DAY_MS + 1_000)
            assertEquals(IdentityStatus.REFRESH_EXPIRED, f.manager.status("alice"))
            val answer = api.token(f.manager, "alice")
            assertSame(TokenAnswer.RefreshExpired, answer)
            assertTrue(answer.needsLogin)
            assertNull(answer.advertisingToken)
            assertNull(f.store!!.load("alice"))
            assertFalse(f.store.isOptedOut("alice"))
            assertEquals(0, emulator.requests("refresh"))
            assertSame(TokenAnswer.NoIdentity, api.token(f.manager, "alice"))
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `an invalid refresh token is deleted`(api: Api) {
        Fixture().use { f ->
            f.establish("alice")
            val identity = f.manager.identity("alice") ?: fail("no identity")
            val corrupt = Identity(
                identity.advertisingToken, "not-a-v2-refresh-token", identity.identityExpires, identity.refreshFrom,
                identity.refreshExpires, identity.refreshResponseKey, identity.extraJson,
            )
            f.store!!.save("alice", corrupt.toJson())
            f.advance(HOUR_MS)
            assertSame(TokenAnswer.Invalid, api.token(f.manager, "alice"))
            assertTrue(TokenAnswer.Invalid.needsLogin)
            assertNull(f.store.load("alice"))
            assertEquals(1, emulator.requests("refresh"))
        }
    }

    @Test
    fun `logout makes no request and keeps the opt-out marker`() {
        Fixture().use { f ->
            f.establish("alice")
            assertSame(GenerateResult.OptOut, f.manager.establishBlocking("olga", Dii.email("optout@example.com")))
            f.manager.logout("alice")
            f.manager.logout("olga")
            f.manager.logout("nobody")
            assertNull(f.manager.identity("alice"))
            assertEquals(IdentityStatus.NO_IDENTITY, f.manager.status("alice"))
            assertTrue(f.store!!.isOptedOut("olga"))
            assertSame(TokenAnswer.OptedOut, f.manager.advertisingTokenBlocking("olga"))
            assertSame(TokenAnswer.NoIdentity, f.manager.advertisingTokenBlocking("alice"))
            assertEquals(2, emulator.requests("generate"))
            assertEquals(0, emulator.requests("refresh"))
            assertEquals(0, emulator.requests("validate"))
        }
    }

    @Test
    fun `a failed generate stores nothing and throws the typed exception`() {
        Fixture().use { f ->
            emulator.faults(mapOf("endpoint" to "generate", "kind" to "status", "status" to 503))
            assertThrows<ServerErrorException> { f.manager.establishBlocking("alice", Dii.email("alice@example.com")) }
            assertNull(f.store!!.load("alice"))
            assertThrows<InvalidInputException> { f.manager.establishBlocking("alice", Dii.email("not an email")) }
            assertEquals(1, emulator.requests("generate"))
        }
    }

    // Stores

    /** A [MemoryStore] whose writes (or reads) fail on demand, as a database might. */
    private class FlakyStore : IdentityStore {
        val inner = MemoryStore()
        val failWrites = AtomicBoolean()
        val failReads = AtomicBoolean()

        private fun write() {
            if (failWrites.get()) throw IOException("disk full")
        }

        private fun read() {
            if (failReads.get()) throw IllegalStateException("connection reset")
        }

        /** Identity JSON put in by hand, which [load] gives first. */
        val raw = ConcurrentHashMap<String, String>()

        override fun load(user: String): String? = read().let { raw[user] ?: inner.load(user) }
        override fun save(user: String, identityJson: String) = write().also { inner.save(user, identityJson) }
        override fun delete(user: String) = write().also { inner.delete(user) }
        override fun isOptedOut(user: String): Boolean = read().let { inner.isOptedOut(user) }
        override fun setOptedOut(user: String) = write().also { inner.setOptedOut(user) }
    }

    @Test
    fun `a store whose save throws gives StoreException and the old identity survives`() {
        val store = FlakyStore()
        Fixture(store).use { f ->
            val before = f.establish("alice")
            val stored = store.inner.load("alice")
            f.advance(HOUR_MS)
            store.failWrites.set(true)
            for (api in Api.entries) {
                val err = assertThrows<StoreException> { api.token(f.manager, "alice") }
                assertEquals(ErrorKind.STORE, err.kind)
                assertTrue(err.detail.contains("save failed: java.io.IOException: disk full"), err.detail)
                assertFalse(err.detail.contains(before), "the message holds no token")
                assertFalse(err.detail.contains("refresh_token"), "the message holds no identity JSON")
                assertEquals(stored, store.inner.load("alice"), "the old identity survives ($api)")
            }
            store.failWrites.set(false)
            assertNotEquals(before, f.manager.advertisingTokenBlocking("alice").advertisingToken)
        }
    }

    @Test
    fun `a store whose reads throw gives StoreException from every method`() {
        val store = FlakyStore()
        Fixture(store).use { f ->
            f.establish("alice")
            store.failReads.set(true)
            val err = assertThrows<StoreException> { f.manager.status("alice") }
            assertTrue(err.detail.contains("failed: java.lang.IllegalStateException: connection reset"), err.detail)
            assertThrows<StoreException> { f.manager.identity("alice") }
            assertThrows<StoreException> { f.manager.logout("alice") }
            assertThrows<StoreException> { f.manager.advertisingTokenBlocking("alice") }
            assertThrows<StoreException> { f.manager.establishBlocking("alice", Dii.email("alice@example.com")) }
            store.failReads.set(false)
            assertEquals(IdentityStatus.ESTABLISHED, f.manager.status("alice"))
            assertEquals(1, emulator.requests("generate"))
        }
    }

    @Test
    fun `stored JSON that is not an identity is an InvalidIdentityException`() {
        val store = FlakyStore()
        Fixture(store).use { f ->
            store.raw["alice"] = """{"advertising_token":"AT"}"""
            assertThrows<InvalidIdentityException> { f.manager.status("alice") }
            assertThrows<InvalidIdentityException> { f.manager.advertisingTokenBlocking("alice") }
        }
        // The native store checks what it is given.
        assertThrows<InvalidIdentityException> { MemoryStore().save("alice", """{"advertising_token":"AT"}""") }
    }

    @Test
    fun `without a store the manager keeps identities in the native library`() {
        Fixture(store = null).use { f ->
            val token = f.establish("alice")
            assertEquals(token, f.manager.identity("alice")?.advertisingToken)
            assertEquals(TokenAnswer.Token(token), f.manager.advertisingTokenBlocking("alice"))
            f.advance(HOUR_MS)
            assertNotEquals(token, f.manager.advertisingTokenBlocking("alice").advertisingToken)
            assertEquals("IdentityManager(store=native MemoryStore)", f.manager.toString())
        }
    }

    @Test
    fun `a manager given its own clock follows it, not the client's`() {
        OffsetClock().use { managerClock ->
            emulator.client().use { client ->
                IdentityManager(client, MemoryStore(), managerClock).use { manager ->
                    manager.establishBlocking("alice", Dii.email("alice@example.com"))
                    managerClock.advanceMs(30 * DAY_MS + 1_000)
                    assertEquals(IdentityStatus.REFRESH_EXPIRED, manager.status("alice"))
                }
            }
        }
    }

    // The listener

    @Test
    fun `the listener hears every change`() {
        val heard = Collections.synchronizedList(mutableListOf<Triple<String, IdentityStatus, IdentityStatus>>())
        // What a Java lambda compiles to: the single abstract method of StatusListener.
        val listener = StatusListener { user, old, new -> heard.add(Triple(user, old, new)) }
        Fixture(listener = listener).use { f ->
            f.establish("alice")
            f.manager.advertisingTokenBlocking("alice")
            f.advance(HOUR_MS)
            runBlocking { f.manager.advertisingToken("alice") }
            f.manager.logout("alice")
            f.manager.establishAsync("olga", Dii.email("optout@example.com")).get(30, TimeUnit.SECONDS)
        }
        assertEquals(
            listOf(
                Triple("alice", IdentityStatus.NO_IDENTITY, IdentityStatus.ESTABLISHED),
                Triple("alice", IdentityStatus.ESTABLISHED, IdentityStatus.REFRESHED),
                Triple("alice", IdentityStatus.ESTABLISHED, IdentityStatus.NO_IDENTITY),
                Triple("olga", IdentityStatus.NO_IDENTITY, IdentityStatus.OPTOUT),
            ),
            heard.toList(),
        )
    }

    @Test
    fun `a listener that throws is logged and never breaks the call`() {
        val records = Collections.synchronizedList(mutableListOf<LogRecord>())
        val handler = object : Handler() {
            override fun publish(record: LogRecord) {
                records.add(record)
            }

            override fun flush() = Unit

            override fun close() = Unit
        }
        val log = Logger.getLogger("org.euidsdk")
        val useParentHandlers = log.useParentHandlers
        log.addHandler(handler)
        log.useParentHandlers = false // keep the expected warnings out of the test output
        try {
            // The message quotes the user key, which the library's one redaction rule cuts out.
            Fixture(listener = { user, _, _ -> throw IllegalStateException("listener bug for $user") }).use { f ->
                f.establish("alice")
                f.manager.logout("alice")
                assertNull(f.manager.identity("alice"))
                f.establish("alice")
                assertEquals(IdentityStatus.ESTABLISHED, f.manager.status("alice"))
            }
        } finally {
            log.removeHandler(handler)
            log.useParentHandlers = useParentHandlers
        }
        val warnings = records.filter { it.level == Level.WARNING }
        assertEquals(3, warnings.size, "one warning per change")
        for (warning in warnings) {
            assertNull(warning.thrown, "the listener's exception itself is not logged")
            assertEquals(
                "the status listener failed: statusChanged failed: java.lang.IllegalStateException: listener bug for <redacted>",
                warning.message,
            )
        }
    }

    // Cookies and the browser

    @Test
    fun `a server identity goes to the browser and comes back`() {
        Fixture().use { f ->
            f.establish("alice")
            val identity = f.manager.identity("alice") ?: fail("no identity")
            val cookie = Cookies.forIdentity(identity)
            assertEquals(identity.refreshExpiresAt, cookie.expires)
            assertNull(cookie.domain)
            val parsed = Cookies.parse(cookie.value)
            assertEquals(BrowserIdentity.Found(identity), parsed)
            assertEquals(identity, parsed.identity)
            // A browser identity taken over by the server is refreshed like any other.
            val store = f.store!!
            store.save("bob", (parsed as BrowserIdentity.Found).identity.toJson())
            f.advance(HOUR_MS)
            assertNotEquals(identity.advertisingToken, f.manager.advertisingTokenBlocking("bob").advertisingToken)
        }
    }

    // Redaction and lifetime

    @Test
    fun `nothing public prints a token`() {
        Fixture().use { f ->
            val token = f.establish("alice")
            val answer = f.manager.advertisingTokenBlocking("alice")
            assertEquals("TokenAnswer.Token(<redacted>)", answer.toString())
            assertFalse(f.manager.toString().contains(token))
            assertFalse(f.store.toString().contains(token))
            val identity = f.manager.identity("alice")!!
            assertFalse(Cookies.forIdentity(identity).toString().contains(token))
            assertFalse(Cookies.parse(Cookies.forIdentity(identity).value).toString().contains(token))
        }
    }

    @Test
    fun `a closed manager refuses calls`() {
        Fixture().use { f ->
            f.manager.close()
            f.manager.close() // closing again does nothing
            val refusals = listOf(
                assertThrows<ClientClosedException> { f.manager.status("alice") },
                assertThrows<ClientClosedException> { f.manager.identity("alice") },
                assertThrows<ClientClosedException> { f.manager.logout("alice") },
                assertThrows<ClientClosedException> { f.manager.advertisingTokenBlocking("alice") },
                assertThrows<ClientClosedException> { runBlocking { f.manager.advertisingToken("alice") } },
                assertThrows<ClientClosedException> { f.manager.establishBlocking("alice", Dii.email("alice@example.com")) },
                assertThrows<ClientClosedException> { runBlocking { f.manager.establish("alice", Dii.email("alice@example.com")) } },
                futureFailure { f.manager.advertisingTokenAsync("alice") },
                futureFailure { f.manager.establishAsync("alice", Dii.email("alice@example.com")) },
            )
            for (err in refusals) {
                assertEquals(ErrorKind.CLOSED, err.kind)
                assertEquals("the identity manager is closed", err.detail)
            }
            assertEquals(0, emulator.requests("generate"))
        }
    }

    /** The cause of the failed future [start] gives, which must be a [ClientClosedException]. */
    private fun futureFailure(start: () -> CompletableFuture<*>): ClientClosedException {
        val err = assertThrows<ExecutionException> { start().get(10, TimeUnit.SECONDS) }
        return assertInstanceOf(ClientClosedException::class.java, err.cause)
    }

    private fun waitUntil(condition: () -> Boolean) {
        val deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos()
        while (!condition()) {
            check(System.nanoTime() < deadline) { "timed out waiting" }
            Thread.sleep(10)
        }
    }

    private companion object {
        const val HOUR_MS = 60 * 60 * 1_000L
        const val DAY_MS = 24 * HOUR_MS
    }
}
