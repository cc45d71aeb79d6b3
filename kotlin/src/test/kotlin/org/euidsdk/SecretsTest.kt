package org.euidsdk

import java.io.IOException
import java.net.ServerSocket
import java.time.Duration
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail

/**
 * Every public type built with known secret values inside (the API key, the client secret,
 * tokens, the refresh response key, a raw email, user keys that are emails), and every exception
 * type from a real failing call with secrets in its input: no `toString()`, message or stack
 * trace shows one. Mirrors `core/tests/hygiene/secrets.rs` through the Kotlin layer, where a
 * data class or a quoted message would undo the Rust core's redaction.
 *
 * The emulator accepts [API_KEY] and [CLIENT_SECRET], so real tokens come back; each is added to
 * the secrets once seen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsTest {
    @JvmField
    @RegisterExtension
    val server = SharedEmulator(API_KEY, CLIENT_SECRET)
    private val emulator: Emulator get() = server.emulator

    /** What must never show: the constants, then every real token and key seen. */
    private val secrets = mutableListOf(
        API_KEY, CLIENT_SECRET, "c2VjcmV0", OTHER_SECRET, "b3RoZXI", TOKEN, REFRESH, "SECRET", KEY, "P941v",
        EMAIL, "secret.person", PHONE,
    )

    private fun assertClean(what: String, text: String) {
        for (secret in secrets) assertTrue(!text.contains(secret), "$what shows a secret: $text")
    }

    /** [err]'s `toString()`, messages and stack trace (causes included) are clean. */
    private fun assertCleanError(what: String, err: Throwable) {
        assertClean("$what toString()", err.toString())
        assertClean("$what message", err.message.orEmpty())
        assertClean("$what localizedMessage", err.localizedMessage.orEmpty())
        assertClean("$what stack trace", err.stackTraceToString())
        if (err is EuidException) assertClean("$what detail", err.detail)
    }

    /** Runs [call], which must throw an [EuidException] of type [T]; checks it is clean. */
    private inline fun <reified T : EuidException> assertCleanFailure(what: String, call: () -> Any?): T {
        val err = assertThrows<T>(what) { call() }
        assertCleanError("$what (${T::class.simpleName})", err)
        return err
    }

    /** Remembers the tokens and key of [identity] (prefixes, as a log line might cut them). */
    private fun learn(identity: Identity): Identity {
        secrets += listOfNotNull(
            identity.advertisingToken.take(16), identity.refreshToken.take(16), identity.refreshResponseKey?.take(12),
        )
        return identity
    }

    private fun identity(): Identity = Identity.fromJson(IDENTITY_JSON)

    private fun client(apiKey: String = API_KEY, clientSecret: String = CLIENT_SECRET, clock: OffsetClock? = null) =
        PublisherClient(
            emulator.url, apiKey, clientSecret,
            timeout = Duration.ofMillis(500), deadline = Duration.ofMillis(1_500), maxRetries = 1, clock = clock,
        )

    // Types

    @Test
    fun `every public type built from secrets prints none`() {
        PublisherClient(PRODUCTION_URL, API_KEY, CLIENT_SECRET).use { assertClean("PublisherClient", it.toString()) }
        client().use { assertClean("PublisherClient of the emulator", it.toString()) }

        val identity = identity()
        assertClean("Identity", identity.toString())
        assertClean("Identity built field by field", Identity(TOKEN, REFRESH, 3, 2, 4, KEY, """{"u":"$TOKEN"}""").toString())
        for (dii in listOf(
            Dii.email(EMAIL), Dii.rawEmail(EMAIL), Dii.phone(PHONE), Dii.rawPhone(PHONE),
            Dii.emailHash(hashEmail(EMAIL)), Dii.phoneHash(hashPhone(PHONE)),
        )) {
            assertClean("Dii", dii.toString())
        }
        secrets += listOf(hashEmail(EMAIL), hashPhone(PHONE))
        assertClean("Dii with a hash", Dii.emailHash(hashEmail(EMAIL)).toString())
        assertClean("GenerateResult", GenerateResult.Success(identity).toString())
        assertClean("RefreshResult", RefreshResult.Success(identity).toString())
        assertClean("TokenAnswer", TokenAnswer.Token(TOKEN).toString())

        val store = MemoryStore(10)
        store.save(EMAIL, IDENTITY_JSON)
        store.setOptedOut("other.$EMAIL")
        assertClean("MemoryStore", store.toString())

        val cookie = Cookies.forIdentity(identity, ".example.com")
        assertClean("Cookie", cookie.toString())
        assertClean("opt-out Cookie", Cookies.optOut(0L).toString())
        assertClean("BrowserIdentity", Cookies.parse(cookie.value).toString())
        assertClean("BrowserIdentity from local storage", Cookies.parse(IDENTITY_JSON).toString())
        assertClean("BrowserIdentity.OptedOut", Cookies.parse(Cookies.optOut(0L).value).toString())

        Lifecycle.restore(IdentityStatus.ESTABLISHED, identity, 0).use { lifecycle ->
            assertClean("Lifecycle", lifecycle.toString())
            assertClean("Lifecycle.identity", lifecycle.identity.toString())
            lifecycle.onGenerated(GenerateResult.Success(identity), 1).use { assertClean("Lifecycle after an event", it.toString()) }
        }
        OffsetClock().use { clock ->
            clock.advanceMs(1_000)
            assertClean("OffsetClock", clock.toString())
        }
        val sealed = Envelope.sealRequest(
            CLIENT_SECRET, """{"email":"$EMAIL"}""".toByteArray(), 1, ByteArray(8), ByteArray(12),
        )
        assertClean("Envelope.OpenedRequest", Envelope.openRequest(CLIENT_SECRET, sealed, binary = true).toString())

        client().use { client ->
            IdentityManager(client, store).use { assertClean("IdentityManager", it.toString()) }
            IdentityManager(client).use { assertClean("IdentityManager without a store", it.toString()) }
        }
    }

    @Test
    fun `what real calls return prints no secret`() {
        OffsetClock().use { clock ->
            client(clock = clock).use { client ->
                val generated = client.generateTokenBlocking(Dii.email(EMAIL))
                learn(generated.identity ?: fail("generate failed"))
                assertClean("GenerateResult from the operator", generated.toString())
                val refreshed = client.refreshTokenBlocking(generated.identity!!)
                learn(refreshed.identity ?: fail("refresh failed"))
                assertClean("RefreshResult from the operator", refreshed.toString())

                val store = MemoryStore()
                IdentityManager(client, store, clock).use { manager ->
                    assertClean("establish", manager.establishBlocking(EMAIL, Dii.rawEmail(EMAIL)).toString())
                    val stored = learn(manager.identity(EMAIL) ?: fail("no identity stored"))
                    assertClean("the stored identity", stored.toString())
                    assertClean("TokenAnswer", manager.advertisingTokenBlocking(EMAIL).toString())
                    assertClean("MemoryStore holding it", store.toString())
                    assertClean("IdentityManager", manager.toString())
                    assertClean("Cookie", Cookies.forIdentity(stored).toString())
                    assertClean("Lifecycle", Lifecycle.restore(IdentityStatus.ESTABLISHED, stored, clock.nowMs()).toString())
                }
            }
        }
    }

    // Exceptions

    @Test
    fun `invalid input and identity errors never quote the input`() {
        val invalidEmail = EMAIL.replace("@", "")
        assertCleanFailure<InvalidInputException>("normalizeEmail") { normalizeEmail(invalidEmail) }
        assertCleanFailure<InvalidInputException>("hashEmail") { hashEmail("$invalidEmail $TOKEN") }
        assertCleanFailure<InvalidInputException>("hashEmails") { hashEmails(listOf(EMAIL, invalidEmail)) }
        assertCleanFailure<InvalidInputException>("hashPhone") { hashPhone(EMAIL) }
        assertCleanFailure<InvalidInputException>("normalizePhone") { normalizePhone("$PHONE-$TOKEN") }
        assertCleanFailure<InvalidInputException>("normalizeEmailHash") { normalizeEmailHash(TOKEN) }
        assertCleanFailure<InvalidInputException>("normalizePhoneHash") { normalizePhoneHash(KEY.drop(1)) }
        client().use { client ->
            assertCleanFailure<InvalidInputException>("generate, email") { client.generateTokenBlocking(Dii.email(invalidEmail)) }
            assertCleanFailure<InvalidInputException>("generate, phone") { client.generateTokenBlocking(Dii.phone(EMAIL)) }
            assertCleanFailure<InvalidInputException>("generate, hash") { client.generateTokenBlocking(Dii.emailHash(TOKEN)) }
            assertCleanFailure<InvalidInputException>("generate, raw") { client.generateTokenBlocking(Dii.rawEmail(invalidEmail)) }
            assertCleanFailure<InvalidInputException>("validate") { client.validateTokenBlocking(TOKEN, Dii.email(invalidEmail)) }
            val badKey = Identity(TOKEN, REFRESH, 3, 2, 4, "P941v-not-base64")
            assertCleanFailure<EuidException>("refresh with a bad key") { client.refreshTokenBlocking(badKey) }
            val future = client.generateTokenAsync(Dii.email(invalidEmail))
            val wrapped = assertThrows<ExecutionException> { future.get(30, TimeUnit.SECONDS) }
            assertCleanError("CompletableFuture failure", wrapped)
        }

        assertCleanFailure<InvalidIdentityException>("a wrong type") {
            Identity.fromJson("""{"advertising_token":1,"refresh_token":"$REFRESH"}""")
        }
        assertCleanFailure<InvalidIdentityException>("cut JSON") { Identity.fromJson("""{"advertising_token":"$TOKEN",""") }
        assertCleanFailure<InvalidIdentityException>("a bad key") {
            Identity.fromJson(IDENTITY_JSON.replace(KEY, "P941v-not-base64"))
        }
        assertCleanFailure<InvalidIdentityException>("a missing field") {
            Identity.fromJson("""{"advertising_token":"$TOKEN","email":"$EMAIL"}""")
        }
        assertCleanFailure<InvalidIdentityException>("a bad cookie") { Cookies.parse("%7B$TOKEN%ZZ") }
        assertCleanFailure<InvalidIdentityException>("a cookie without fields") { Cookies.parse("""{"advertising_token":"$TOKEN"}""") }
        assertCleanFailure<InvalidIdentityException>("an identity with bad extras") {
            Cookies.forIdentity(Identity(TOKEN, REFRESH, 3, 2, 4, KEY, "[\"$EMAIL\"]"))
        }
        val store = QuotingStore()
        store.raw[EMAIL] = """{"advertising_token":"$TOKEN","refresh_token":"$REFRESH"}"""
        client().use { client ->
            IdentityManager(client, store).use { manager ->
                assertCleanFailure<InvalidIdentityException>("a broken stored identity") { manager.status(EMAIL) }
                assertCleanFailure<InvalidIdentityException>("a broken stored identity") {
                    manager.advertisingTokenBlocking(EMAIL)
                }
            }
        }
    }

    @Test
    fun `configuration errors never quote the credentials`() {
        assertCleanFailure<ConfigException>("a URL holding the key") {
            PublisherClient("http://$API_KEY.example.com", API_KEY, CLIENT_SECRET)
        }
        assertCleanFailure<ConfigException>("a URL with the key as password") {
            PublisherClient("http://user:$API_KEY@example.com", API_KEY, CLIENT_SECRET)
        }
        assertCleanFailure<ConfigException>("a key with spaces") { PublisherClient(PRODUCTION_URL, "$API_KEY with spaces", CLIENT_SECRET) }
        assertCleanFailure<ConfigException>("a short secret") { PublisherClient(PRODUCTION_URL, API_KEY, CLIENT_SECRET.take(20)) }
        assertCleanFailure<ConfigException>("a secret that is not base64") { PublisherClient(PRODUCTION_URL, API_KEY, "$CLIENT_SECRET!") }
        assertCleanFailure<ConfigException>("a zero deadline") {
            PublisherClient(PRODUCTION_URL, API_KEY, CLIENT_SECRET, deadline = Duration.ZERO)
        }
    }

    @Test
    fun `operator failures never quote the credentials, the request or the body`() {
        val email = Dii.email(EMAIL)
        client(apiKey = "$API_KEY-wrong").use { client ->
            assertCleanFailure<UnauthorizedException>("a wrong API key") { client.generateTokenBlocking(email) }
        }
        client(clientSecret = OTHER_SECRET).use { client ->
            assertCleanFailure<ClientErrorException>("a wrong client secret") { client.generateTokenBlocking(email) }
        }
        client().use { client ->
            val identity = learn(client.generateTokenBlocking(email).identity ?: fail("generate failed"))
            val forged = Identity(identity.advertisingToken, REFRESH.padEnd(388, 'A'), 3, 2, 4, identity.refreshResponseKey)
            assertCleanFailure<ClientErrorException>("a forged refresh token") { client.refreshTokenBlocking(forged) }

            val body = "<html>$TOKEN $EMAIL $API_KEY $CLIENT_SECRET</html>"
            emulator.faults(mapOf("endpoint" to "any", "kind" to "status", "status" to 502, "body" to body))
            assertCleanFailure<ServerErrorException>("an HTML 502") { client.generateTokenBlocking(email) }
            assertCleanFailure<ServerErrorException>("an HTML 502 on refresh") { client.refreshTokenBlocking(identity) }
            val json = mapOf("status" to "unknown", "message" to "down", "email" to EMAIL, "token" to TOKEN)
            emulator.faults(mapOf("endpoint" to "any", "kind" to "status", "status" to 500, "body" to json))
            assertCleanFailure<ServerErrorException>("a JSON 500") { client.generateTokenBlocking(email) }
            emulator.faults(mapOf("endpoint" to "any", "kind" to "status", "status" to 429, "retry_after" to 60, "body" to body))
            assertCleanFailure<RateLimitedException>("a 429") { client.generateTokenBlocking(email) }
            val drift = mapOf("status" to "client_error", "message" to "Invalid timestamp", "email" to EMAIL)
            emulator.faults(mapOf("endpoint" to "any", "kind" to "status", "status" to 400, "body" to drift))
            assertCleanFailure<ClockDriftException>("a clock drift") { client.generateTokenBlocking(email) }
            emulator.faults(mapOf("endpoint" to "any", "kind" to "latency", "latency_ms" to 3_000))
            assertCleanFailure<EuidTimeoutException>("a slow operator") { client.refreshTokenBlocking(identity) }
            emulator.faults(mapOf("endpoint" to "any", "kind" to "close"))
            assertCleanFailure<NetworkException>("a closed connection") { client.generateTokenBlocking(email) }
            for (kind in listOf("garbage", "truncate", "wrong_key", "wrong_nonce")) {
                emulator.faults(mapOf("endpoint" to "any", "kind" to kind))
                assertCleanFailure<ProtocolException>("a $kind answer") { client.generateTokenBlocking(email) }
                assertCleanFailure<ProtocolException>("a $kind answer to validate") {
                    client.validateTokenBlocking(identity.advertisingToken, email)
                }
            }
        }
        val closedPort = ServerSocket(0).use { it.localPort }
        PublisherClient("http://127.0.0.1:$closedPort", API_KEY, CLIENT_SECRET, maxRetries = 0).use { client ->
            assertCleanFailure<NetworkException>("an unreachable operator") { client.generateTokenBlocking(email) }
        }
    }

    @Test
    fun `manager failures never quote the user key or the identity`() {
        OffsetClock().use { clock ->
            client(clock = clock).use { client ->
                val store = MemoryStore()
                IdentityManager(client, store, clock).use { manager ->
                    manager.establishBlocking(EMAIL, Dii.email(EMAIL)).identity?.let(::learn) ?: fail("establish failed")
                    emulator.advanceClock(3 * DAY_MS + 1_000)
                    clock.advanceMs(3 * DAY_MS + 1_000)
                    emulator.faults(mapOf("endpoint" to "refresh", "kind" to "status", "status" to 503))
                    assertCleanFailure<ServerErrorException>("a failed refresh of an expired token") {
                        manager.advertisingTokenBlocking(EMAIL)
                    }
                    val future = manager.advertisingTokenAsync(EMAIL)
                    assertCleanError("CompletableFuture failure", assertThrows<ExecutionException> { future.get(30, TimeUnit.SECONDS) })
                    emulator.faults(mapOf("endpoint" to "generate", "kind" to "close"))
                    assertCleanFailure<NetworkException>("a failed establish") {
                        manager.establishBlocking("other.$EMAIL", Dii.rawEmail(EMAIL))
                    }
                }
            }
            emulator.clearFaults()
            client(apiKey = "$API_KEY-wrong").use { client ->
                IdentityManager(client, MemoryStore(), clock).use { manager ->
                    assertCleanFailure<UnauthorizedException>("establish with a wrong key") {
                        manager.establishBlocking(EMAIL, Dii.email(EMAIL))
                    }
                }
            }
        }
    }

    /** A store whose failures quote everything they were given, as a careless database might. */
    private class QuotingStore : IdentityStore {
        @Volatile var failWrites = false

        @Volatile var failReads = false
        val inner = MemoryStore()

        /** Identity JSON put in by hand, which [load] gives first. */
        val raw = ConcurrentHashMap<String, String>()

        override fun load(user: String): String? =
            if (failReads) throw IllegalStateException("no connection to load $user") else raw[user] ?: inner.load(user)

        /** The identity of the last refused save. */
        @Volatile var refused: Identity? = null

        override fun save(user: String, identityJson: String) {
            if (failWrites) {
                val token = Identity.fromJson(identityJson).also { refused = it }.advertisingToken
                throw IOException("cannot save $identityJson for $user (token $token)")
            }
            inner.save(user, identityJson)
        }

        override fun delete(user: String) =
            if (failWrites) throw IllegalArgumentException("cannot delete $user") else inner.delete(user)

        override fun isOptedOut(user: String): Boolean = inner.isOptedOut(user)

        override fun setOptedOut(user: String) = inner.setOptedOut(user)
    }

    @Test
    fun `store failures and their log records never quote the user key or the identity`() {
        val records = Collections.synchronizedList(mutableListOf<LogRecord>())
        val capture = object : Handler() {
            override fun publish(record: LogRecord) {
                records.add(record)
            }

            override fun flush() = Unit

            override fun close() = Unit
        }
        val logger = Logger.getLogger(LOGGER_NAME)
        val saved = logger.level
        val useParentHandlers = logger.useParentHandlers
        logger.addHandler(capture)
        logger.useParentHandlers = false
        setLogLevel(Level.ALL)
        try {
            val store = QuotingStore()
            client().use { client ->
                IdentityManager(client, store).use { manager ->
                    store.failWrites = true
                    val err = assertThrows<StoreException>("a failing save") {
                        manager.establishBlocking(EMAIL, Dii.email(EMAIL))
                    }
                    // The store quoted the new identity, whose tokens nothing else has shown.
                    learn(store.refused ?: fail("the store was not asked to save"))
                    assertCleanError("a failing save", err)
                    // The library's one rule: each secret becomes <redacted>, the message at most 200 characters.
                    val quoted = err.detail.removePrefix("identity store error: ")
                    assertTrue(quoted.startsWith("save failed: java.io.IOException: cannot save {"), err.detail)
                    assertTrue(quoted.contains("\"advertising_token\":\"<redacted>\""), err.detail)
                    assertTrue(quoted.length <= 200, err.detail)
                    assertCleanFailure<StoreException>("a failing delete") { manager.logout(EMAIL) }
                    store.failReads = true
                    assertCleanFailure<StoreException>("a failing load") { manager.status(EMAIL) }
                    assertCleanFailure<StoreException>("a failing load") { manager.advertisingTokenBlocking(EMAIL) }
                }
                // A store's failure goes to the caller alone; a listener's is logged, by the same rule.
                val listener = StatusListener { user, _, _ -> throw IllegalStateException("no metrics for $user") }
                MemoryStore().use { memory ->
                    IdentityManager(client, memory, listener = listener).use { manager ->
                        manager.establishBlocking(EMAIL, Dii.email(EMAIL)).identity?.let(::learn) ?: fail("establish failed")
                    }
                }
            }
        } finally {
            logger.removeHandler(capture)
            logger.useParentHandlers = useParentHandlers
            setLogLevel(saved)
        }
        val logged = synchronized(records) { records.toList() }
        val listenerFailure =
            "the status listener failed: statusChanged failed: java.lang.IllegalStateException: no metrics for <redacted>"
        assertTrue(logged.any { it.message == listenerFailure }, "the listener's failure is logged")
        for (record in logged) {
            assertClean("a log record", "${record.message} ${record.parameters?.toList()}")
            record.thrown?.let { assertCleanError("a logged exception", it) }
        }
    }

    /**
     * Where each exception type is checked above. It compiles only while every subclass of the
     * sealed [EuidException] is named, so a new one cannot go unchecked.
     */
    @Suppress("unused")
    private fun checkedBy(err: EuidException): String = when (err) {
        is InvalidInputException, is InvalidIdentityException -> "invalid input and identity errors"
        is ConfigException -> "configuration errors"
        is UnauthorizedException, is ClientErrorException, is ClockDriftException, is ServerErrorException,
        is RateLimitedException, is EuidTimeoutException, is NetworkException, is ProtocolException,
        -> "operator failures, manager failures"
        is StoreException -> "store failures"
        is ClientClosedException -> "closed clients and managers (EmulatorTest, ManagerTest)"
        // Only a defect (a Rust panic) makes one: no real call can.
        is InternalErrorException -> "none"
    }

    private companion object {
        const val API_KEY = "api-key-SECRET-4f1d"
        const val CLIENT_SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I="
        const val OTHER_SECRET = "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC1vdGhlci0="
        const val TOKEN = "AT-SECRET-advertising-token"
        const val REFRESH = "RT-SECRET-refresh-token"
        const val KEY = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="
        const val EMAIL = "secret.person@example.com"
        const val PHONE = "+12345678901"
        const val DAY_MS = 24 * 60 * 60 * 1_000L
        const val IDENTITY_JSON =
            """{"advertising_token":"$TOKEN","refresh_token":"$REFRESH","identity_expires":3,""" +
                """"refresh_from":2,"refresh_expires":4,"refresh_response_key":"$KEY","user_token":"$TOKEN"}"""
    }
}
