package org.euidsdk

import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import org.euidsdk.internal.LogLevel
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.RegisterExtension
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail

/**
 * The native library's records in `java.util.logging` (logger `org.euidsdk`): what a refresh
 * with one retry logs, at which levels, without a secret; that a disabled level is not forwarded
 * at all; and that a failing handler never breaks a call. Mirrors `core/tests/hygiene/logging.rs`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoggingTest {
    @JvmField
    @RegisterExtension
    val server = SharedEmulator()
    private val emulator: Emulator get() = server.emulator
    private val logger: Logger = Logger.getLogger(LOGGER_NAME)
    private val records: MutableList<LogRecord> = Collections.synchronizedList(mutableListOf())
    private val capture = object : Handler() {
        override fun publish(record: LogRecord) {
            records.add(record)
        }

        override fun flush() = Unit

        override fun close() = Unit
    }
    private var savedLevel: Level? = null
    private var savedUseParentHandlers = true

    @BeforeEach
    fun captureRecords() {
        savedLevel = logger.level
        savedUseParentHandlers = logger.useParentHandlers
        capture.level = Level.ALL
        logger.addHandler(capture)
        logger.useParentHandlers = false // the records are the test's, not the console's
        records.clear()
    }

    @AfterEach
    fun restoreLogger() {
        logger.removeHandler(capture)
        logger.useParentHandlers = savedUseParentHandlers
        setLogLevel(savedLevel)
    }

    /** Generates an identity for [EMAIL], then refreshes it through one 503. Returns both. */
    private fun refreshWithOneRetry(): Pair<Identity, Identity> =
        emulator.client(maxRetries = 2).use { client ->
            val identity = client.generateTokenBlocking(Dii.email(EMAIL)).identity ?: fail("generate failed")
            emulator.faults(mapOf("endpoint" to "refresh", "kind" to "status", "status" to 503, "count" to 1))
            val refreshed = client.refreshTokenBlocking(identity).identity ?: fail("refresh failed")
            assertEquals(2, emulator.requests("refresh"))
            identity to refreshed
        }

    /** Whether a captured record is at [level], from [target], and its message contains every part. */
    private fun logged(level: Level, target: String, vararg parts: String): Boolean = snapshot().any { record ->
        record.level == level && record.sourceClassName == target && parts.all { record.message.contains(it) }
    }

    private fun describe(): String = snapshot().joinToString("\n") { "${it.level} ${it.sourceClassName} ${it.message}" }

    @Test
    fun `at FINE a refresh with a retry logs each request, the retry and the outcome without secrets`() {
        setLogLevel(Level.FINE)
        val (identity, refreshed) = refreshWithOneRetry()

        val client = "euid_core::client"
        val http = "euid_core::http"
        assertTrue(logged(Level.FINE, http, "POST /v2/token/refresh -> HTTP 503"), describe())
        assertTrue(logged(Level.INFO, client, "refresh: operator server error (HTTP 503)", "retry 1 of 2"), describe())
        assertTrue(logged(Level.FINE, http, "POST /v2/token/refresh -> HTTP 200"), describe())
        assertTrue(logged(Level.FINE, client, "refresh answered refreshed"), describe())
        assertTrue(logged(Level.FINE, client, "generate answered success"), describe())
        snapshot().forEach { record ->
            assertEquals(LOGGER_NAME, record.loggerName)
            assertNull(record.thrown)
            assertTrue(record.sourceClassName.startsWith("euid_"), "a Rust module as the source: ${record.sourceClassName}")
        }

        val secrets = listOf(
            emulator.apiKey,
            emulator.clientSecret,
            EMAIL,
            identity.advertisingToken.take(16),
            identity.refreshToken.take(16),
            identity.refreshResponseKey!!.take(12),
            refreshed.advertisingToken.take(16),
            refreshed.refreshToken.take(16),
            refreshed.refreshResponseKey!!.take(12),
        )
        val text = snapshot().joinToString("\n") { "${it.sourceClassName} ${it.message} ${it.parameters?.toList()}" }
        for (secret in secrets) assertTrue(!text.contains(secret), "a record shows a secret:\n$text")
    }

    @Test
    fun `at the default INFO level no FINE record crosses from the native library`() {
        setLogLevel(null)
        assertEquals(Level.INFO, Logger.getLogger("").level, "the JDK's default root level")
        val before = crossed(LogLevel.DEBUG) + crossed(LogLevel.TRACE)
        val infoBefore = crossed(LogLevel.INFO)

        refreshWithOneRetry()

        assertEquals(before, crossed(LogLevel.DEBUG) + crossed(LogLevel.TRACE), "DEBUG or TRACE records crossed the FFI")
        assertTrue(crossed(LogLevel.INFO) > infoBefore, "the INFO record of the retry crossed")
        assertTrue(snapshot().none { it.level.intValue() < Level.INFO.intValue() }, describe())
        assertTrue(logged(Level.INFO, "euid_core::client", "retry 1 of 2"), describe())
    }

    @Test
    fun `a level set on the logger directly applies from the next client on`() {
        setLogLevel(Level.WARNING)
        logger.level = Level.FINE // not through setLogLevel: the next client re-reads it
        refreshWithOneRetry()
        assertTrue(logged(Level.FINE, "euid_core::http", "POST /v2/token/refresh -> HTTP 200"), describe())
    }

    @Test
    fun `a handler that throws never breaks a call`() {
        val published = AtomicInteger()
        val broken = object : Handler() {
            override fun publish(record: LogRecord) {
                published.incrementAndGet()
                throw IllegalStateException("handler bug")
            }

            override fun flush() = Unit

            override fun close() = Unit
        }
        logger.addHandler(broken)
        try {
            setLogLevel(Level.FINEST)
            refreshWithOneRetry()
        } finally {
            logger.removeHandler(broken)
        }
        // It threw on the first record and was called again for the later ones.
        assertTrue(published.get() >= 2, "the throwing handler ran ${published.get()} times")
    }

    @Test
    fun `JUL levels choose the most verbose native level they let through`() {
        val expected = mapOf(
            Level.OFF to null,
            Level.SEVERE to LogLevel.ERROR,
            Level.WARNING to LogLevel.WARN,
            Level.INFO to LogLevel.INFO,
            Level.CONFIG to LogLevel.INFO,
            Level.FINE to LogLevel.DEBUG,
            Level.FINER to LogLevel.DEBUG,
            Level.FINEST to LogLevel.TRACE,
            Level.ALL to LogLevel.TRACE,
        )
        assertEquals(expected, expected.keys.associateWith { LogBridge.forwardedLevel(it) })
        assertEquals(
            listOf(Level.SEVERE, Level.WARNING, Level.INFO, Level.FINE, Level.FINEST),
            LogLevel.entries.map { LogBridge.julLevel(it) },
        )
    }

    private fun snapshot(): List<LogRecord> = synchronized(records) { records.toList() }

    private fun crossed(level: LogLevel): Long = LogBridge.crossed.get(level.ordinal)

    private companion object {
        const val EMAIL = "secret.person@example.com"
    }
}
