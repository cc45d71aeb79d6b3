package org.euidsdk

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import java.io.File
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicContainer.dynamicContainer
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.fail

/**
 * Every case of `tests/vectors/faults.json` (see its README section) as dynamic tests: once
 * through [PublisherClient] and once through [IdentityManager] over a [MemoryStore], each in its
 * `suspend` and its blocking form. The emulator misbehaves, and the SDK answers with a typed
 * exception or result, within bounded requests and time, and loses nothing stored.
 *
 * The semantics are the Rust runner's (`core/tests/client/fault_vectors.rs`). Each run gets an
 * emulator process of its own, since some cases stop it. An unknown field fails the case.
 */
class FaultVectorsTest {
    private val mapper = ObjectMapper()
    private val document: JsonNode = mapper.readTree(
        File(System.getProperty("vectors.dir") ?: error("the system property vectors.dir is not set"), "faults.json"),
    )

    /** The four ways a case is run. */
    enum class Path(val label: String) {
        CLIENT_SUSPEND("client, suspend"),
        CLIENT_BLOCKING("client, blocking"),
        MANAGER_SUSPEND("manager, suspend"),
        MANAGER_BLOCKING("manager, blocking"),
        ;

        val blocking: Boolean get() = this == CLIENT_BLOCKING || this == MANAGER_BLOCKING
    }

    @TestFactory
    fun `every fault scenario through the client and the manager`(): List<DynamicNode> {
        checkFields("faults.json", document, DOCUMENT_FIELDS, DOCUMENT_FIELDS)
        val settings = Settings(document.required("client"))
        val cases = document.required("cases").toList()
        val ran = HashMap<Path, Int>()
        val nodes = cases.map { case ->
            val name = case.text("name")
            dynamicContainer(
                name,
                Path.entries.map { path ->
                    dynamicTest("$name (${path.label})") {
                        ran.merge(path, 1, Int::plus)
                        try {
                            checkCase(case)
                            when (path) {
                                Path.CLIENT_SUSPEND, Path.CLIENT_BLOCKING -> throughClient(case, settings, path.blocking)
                                Path.MANAGER_SUSPEND, Path.MANAGER_BLOCKING -> throughManager(case, settings, path.blocking)
                            }
                        } catch (failure: Throwable) {
                            // Surefire reports dynamic tests by index: name the case and the path.
                            throw AssertionError("$name (${path.label}): ${failure.message}", failure)
                        }
                    }
                },
            )
        }
        return nodes + dynamicTest("every case ran through every path") {
            assertTrue(cases.isNotEmpty(), "faults.json has no cases")
            assertEquals(Path.entries.associateWith { cases.size }, ran, "runs per path")
            assertEquals(cases.size, cases.map { it.text("name") }.toSet().size, "duplicate names")
        }
    }

    /** The file's top-level `client` settings. */
    private class Settings(node: JsonNode) {
        init {
            checkFields("client", node, CLIENT_FIELDS, CLIENT_FIELDS)
        }

        val maxRetries: Int = node.required("max_retries").asInt()
        val timeout: Duration = Duration.ofMillis(node.required("timeout_ms").asLong())
        val deadline: Duration = Duration.ofMillis(node.required("deadline_ms").asLong())

        fun client(emulator: Emulator, clock: OffsetClock): PublisherClient =
            emulator.client(timeout = timeout, deadline = deadline, maxRetries = maxRetries, clock = clock)
    }

    /** A call's result or typed exception, and its wall time. */
    private class Timed<T>(val result: T?, val error: EuidException?, val elapsed: Duration) {
        override fun toString(): String = error?.let { "$it (${it.kind})" } ?: result.toString()

        companion object {
            fun <T> of(call: () -> T): Timed<T> {
                val started = System.nanoTime()
                val (result, error) = try {
                    call() to null
                } catch (err: EuidException) {
                    null to err
                }
                return Timed(result, error, Duration.ofNanos(System.nanoTime() - started))
            }
        }
    }

    private fun throughClient(case: JsonNode, settings: Settings, blocking: Boolean) {
        val call = case.text("call")
        Emulator.start().use { emulator ->
            OffsetClock().use { clock ->
                settings.client(emulator, clock).use { client ->
                    val identity = if (call == "refresh") {
                        client.generateTokenBlocking(Dii.email(EMAIL)).identity ?: fail("the setup generate failed")
                    } else {
                        null
                    }
                    driftFirst(case, emulator) { client.generateTokenBlocking(Dii.email(EMAIL)) }
                    moveOperatorClock(case, emulator)
                    val before = emulator.requests(call)
                    val running = inject(case, emulator)
                    val timed = if (identity != null) {
                        Timed.of {
                            if (blocking) client.refreshTokenBlocking(identity) else runBlocking { client.refreshToken(identity) }
                        }.also { checkExpectation(case, it, it.result is RefreshResult.Success) }
                    } else {
                        Timed.of {
                            val dii = Dii.email(EMAIL)
                            if (blocking) client.generateTokenBlocking(dii) else runBlocking { client.generateToken(dii) }
                        }.also { checkExpectation(case, it, it.result is GenerateResult.Success) }
                    }
                    checkBounds(case, emulator.takeIf { running }, before, timed.elapsed)
                }
            }
        }
    }

    private fun throughManager(case: JsonNode, settings: Settings, blocking: Boolean) {
        val call = case.text("call")
        val expectsSuccess = case.required("expect").has("outcome")
        Emulator.start().use { emulator ->
            OffsetClock().use { clock ->
                settings.client(emulator, clock).use { client ->
                    val store = MemoryStore()
                    IdentityManager(client, store, clock).use { manager ->
                        var stored: String? = null
                        if (call == "refresh") {
                            val setup = manager.establishBlocking(USER, Dii.email(EMAIL))
                            assertTrue(setup is GenerateResult.Success, "the setup establish answered $setup")
                            stored = store.load(USER) ?: fail("the setup stored no identity")
                            emulator.advanceClock(HOUR_MS)
                            clock.advanceMs(HOUR_MS)
                        }
                        driftFirst(case, emulator) { manager.establishBlocking(USER, Dii.email(EMAIL)) }
                        moveOperatorClock(case, emulator)
                        val before = emulator.requests(call)
                        val running = inject(case, emulator)
                        val elapsed = if (stored != null) {
                            // While the token is valid a failure is hidden: the current token comes back.
                            val current = Identity.fromJson(stored).advertisingToken
                            val timed = Timed.of {
                                if (blocking) manager.advertisingTokenBlocking(USER) else runBlocking { manager.advertisingToken(USER) }
                            }
                            assertNull(timed.error, "the manager threw while the token is still valid: $timed")
                            val token = (timed.result as? TokenAnswer.Token)?.advertisingToken
                                ?: fail("the manager answered $timed")
                            // assertTrue, not assertEquals: a failure should not print tokens.
                            if (expectsSuccess) {
                                assertTrue(token != current, "expected a new token")
                            } else {
                                assertTrue(token == current, "expected the current token after a failure")
                                assertTrue(store.load(USER) == stored, "the stored identity changed after a failure")
                            }
                            timed.elapsed
                        } else {
                            val timed = Timed.of {
                                val dii = Dii.email(EMAIL)
                                if (blocking) manager.establishBlocking(USER, dii) else runBlocking { manager.establish(USER, dii) }
                            }
                            val hasIdentity = store.load(USER) != null
                            assertEquals(timed.error == null, hasIdentity, "an identity is stored exactly on success: $timed")
                            checkExpectation(case, timed, timed.result is GenerateResult.Success)
                            timed.elapsed
                        }
                        checkBounds(case, emulator.takeIf { running }, before, elapsed)
                    }
                }
            }
        }
    }

    private companion object {
        const val HOUR_MS = 60 * 60 * 1_000L
        const val USER = "u"
        const val EMAIL = "u@example.com"

        val DOCUMENT_FIELDS = setOf("description", "client", "cases")
        val CLIENT_FIELDS = setOf("max_retries", "timeout_ms", "deadline_ms")
        val CASE_FIELDS = setOf(
            "name", "call", "faults", "expect", "requests", "max_elapsed_ms", "kill_operator",
            "operator_clock_offset_ms", "operator_clock_drift", "date_header", "error_message_contains", "note",
        )
        val REQUIRED_CASE_FIELDS = setOf("name", "call", "faults", "expect", "requests", "max_elapsed_ms")

        /** Fails on a field the runner does not know (it would be ignored silently) or lacks. */
        fun checkFields(what: String, node: JsonNode, known: Set<String>, required: Set<String>) {
            assertTrue(node.isObject, "$what must be an object")
            val fields = node.fieldNames().asSequence().toSet()
            assertTrue((fields - known).isEmpty(), "$what: unknown fields ${fields - known}: the runner must learn them")
            assertTrue((required - fields).isEmpty(), "$what: missing fields ${required - fields}")
        }

        /** The case's shape, before anything runs. */
        fun checkCase(case: JsonNode) {
            checkFields("the case", case, CASE_FIELDS, REQUIRED_CASE_FIELDS)
            assertTrue(case.text("call") in setOf("generate", "refresh"), "unknown call ${case["call"]}")
            assertTrue(case.required("faults").isArray, "faults must be a list")
            val expect = case.required("expect")
            checkFields("expect", expect, setOf("outcome", "error"), emptySet())
            assertEquals(1, expect.size(), "expect must hold exactly one of outcome and error")
            expect["outcome"]?.let { assertEquals("success", it.asText(), "unknown outcome $it") }
            expect["error"]?.let { error ->
                val kinds = if (error.isArray) error.toList() else listOf(error)
                assertTrue(kinds.isNotEmpty() && kinds.all { it.isTextual }, "error must be a kind or a list of kinds")
            }
            val requests = case.required("requests")
            if (!requests.isIntegralNumber) checkFields("requests", requests, setOf("min", "max"), setOf("min", "max"))
            assertTrue(case.required("max_elapsed_ms").isIntegralNumber, "max_elapsed_ms must be a number")
            case["kill_operator"]?.let { assertTrue(it.isBoolean, "kill_operator must be a boolean") }
            case["operator_clock_offset_ms"]?.let { assertTrue(it.isIntegralNumber, "the offset must be a number") }
            case["operator_clock_drift"]?.let { drift ->
                assertEquals("generate", case.text("call"), "operator_clock_drift is for generate cases")
                checkFields("operator_clock_drift", drift, setOf("step_ms", "steps"), setOf("step_ms", "steps"))
                assertTrue(drift["step_ms"].isIntegralNumber && drift["steps"].isIntegralNumber, "the drift's fields are numbers")
            }
            case["date_header"]?.let { assertTrue(it.isBoolean, "date_header must be a boolean") }
            case["error_message_contains"]?.let { assertTrue(it.isTextual, "error_message_contains must be a string") }
        }

        /**
         * `operator_clock_drift`: one successful [call], then `steps - 1` times a move of the
         * emulator's clock alone by `step_ms` and a successful [call], then one move more, so the
         * checked call is one step from what the client last learned.
         */
        fun driftFirst(case: JsonNode, emulator: Emulator, call: () -> GenerateResult) {
            val drift = case["operator_clock_drift"] ?: return
            val stepMs = drift.required("step_ms").asLong()
            for (step in 0 until drift.required("steps").asInt()) {
                if (step > 0) emulator.advanceClock(stepMs)
                val result = try {
                    call()
                } catch (err: EuidException) {
                    fail("drift step $step: $err (${err.kind})")
                }
                assertTrue(result is GenerateResult.Success, "drift step $step: $result")
            }
            emulator.advanceClock(stepMs)
        }

        /**
         * `operator_clock_offset_ms` moves the emulator's clock alone; `date_header` makes it send
         * a `Date` header, as a load balancer may (the operator sends none).
         */
        fun moveOperatorClock(case: JsonNode, emulator: Emulator) {
            case["operator_clock_offset_ms"]?.let { emulator.advanceClock(it.asLong()) }
            emulator.dateHeader(case["date_header"]?.asBoolean() == true)
        }

        /** Sets the case's faults, or stops the operator. Returns whether it still runs. */
        fun inject(case: JsonNode, emulator: Emulator): Boolean {
            if (case["kill_operator"]?.asBoolean() == true) {
                emulator.close()
                return false
            }
            emulator.faults(case.required("faults"))
            return true
        }

        /** [success]: whether the call's result is the success a case may expect. */
        fun checkExpectation(case: JsonNode, timed: Timed<*>, success: Boolean) {
            val expect = case.required("expect")
            val error = expect["error"]
            if (error == null) {
                assertNull(timed.error, "expected success, got $timed")
                assertTrue(success, "expected success, got $timed")
                return
            }
            val kinds = if (error.isArray) error.map { it.asText() } else listOf(error.asText())
            val err = timed.error ?: fail("expected an error $kinds, got $timed")
            assertTrue(err.kind.value in kinds, "expected an error $kinds, got $timed")
            case["error_message_contains"]?.let { part ->
                assertTrue(err.detail.contains(part.asText()), "the message ${err.detail} lacks ${part.asText()}")
            }
        }

        /** The requests the operator counted during the call (if it still runs), and the time. */
        fun checkBounds(case: JsonNode, emulator: Emulator?, before: Long, elapsed: Duration) {
            if (emulator != null) {
                val requests = emulator.requests(case.text("call")) - before
                val expected = case.required("requests")
                val (min, max) = if (expected.isIntegralNumber) {
                    expected.asLong() to expected.asLong()
                } else {
                    expected.required("min").asLong() to expected.required("max").asLong()
                }
                assertTrue(requests in min..max, "$requests requests, expected $expected")
            }
            val limit = Duration.ofMillis(case.required("max_elapsed_ms").asLong())
            assertTrue(elapsed <= limit, "took ${elapsed.toMillis()} ms, more than ${limit.toMillis()} ms")
        }

        fun JsonNode.required(field: String): JsonNode = get(field) ?: fail("missing field `$field`")

        fun JsonNode.text(field: String): String =
            required(field).let { if (it.isTextual) it.asText() else fail("`$field` must be a string") }
    }
}
