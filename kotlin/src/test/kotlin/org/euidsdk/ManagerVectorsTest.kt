package org.euidsdk

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import java.io.File
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.extension.RegisterExtension
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail

/**
 * Every scenario of `tests/vectors/manager.json` (see its README section) as a dynamic test named
 * after the case, through the public API: a fresh [MemoryStore], a client built from the file's
 * `client` settings and an [OffsetClock] shared by the client and the manager that moves with the
 * emulator's clock. The semantics follow the Rust runner (`core/tests/client/manager_vectors.rs`).
 * An unknown op or field fails the case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagerVectorsTest {
    private val mapper = ObjectMapper()
    private val document: JsonNode = mapper.readTree(
        File(System.getProperty("vectors.dir") ?: error("the system property vectors.dir is not set"), "manager.json"),
    )
    @JvmField
    @RegisterExtension
    val server = SharedEmulator()
    private val emulator: Emulator get() = server.emulator

    @TestFactory
    fun `every manager scenario`(): List<DynamicNode> {
        val cases = document["cases"]?.toList() ?: error("manager.json has no cases")
        var ran = 0
        val tests = cases.map { case ->
            val name = case.text("name")
            dynamicTest(name) {
                ran += 1
                emulator.reset()
                Scenario(emulator, document.required("client")).use { scenario ->
                    case.required("steps").forEachIndexed { index, step ->
                        try {
                            scenario.step(step)
                            scenario.checkAfter(step)
                        } catch (failure: Throwable) {
                            // Surefire reports dynamic tests by index: name the case and the step.
                            throw AssertionError("$name step $index (${step["op"]}): $failure", failure)
                        }
                    }
                }
            }
        }
        return tests + dynamicTest("every scenario ran") {
            assertTrue(cases.isNotEmpty(), "manager.json has no cases")
            assertEquals(cases.size, ran, "not every scenario ran")
            assertEquals(cases.size, cases.map { it.text("name") }.toSet().size, "duplicate names")
        }
    }

    /** One case's world: its store, clock, client and manager, and the last token per user. */
    private class Scenario(private val emulator: Emulator, settings: JsonNode) : AutoCloseable {
        val store = MemoryStore()
        val clock = OffsetClock()
        val client: PublisherClient
        val manager: IdentityManager
        private val lastToken = HashMap<String, String>()

        init {
            val unknown = settings.fieldNames().asSequence().filter { it !in CLIENT_FIELDS }.toList()
            assertTrue(unknown.isEmpty(), "unknown client settings $unknown")
            client = emulator.client(
                timeout = Duration.ofMillis(settings.required("timeout_ms").asLong()),
                maxRetries = settings.required("max_retries").asInt(),
                clock = clock,
            )
            manager = IdentityManager(client, store, clock)
        }

        /** `new`: differs from the last token seen for [user]; `same`: equals it. It becomes the last. */
        private fun checkToken(user: String, token: String, expected: String) {
            val previous = lastToken.put(user, token)
            val same = previous == token
            when (expected) {
                "same" -> assertTrue(same, "expected the same token as before")
                "new" -> assertTrue(!same, "expected a new token")
                else -> fail("unknown token expectation `$expected`")
            }
        }

        fun step(step: JsonNode) {
            val op = step.text("op")
            val fields = OPS[op] ?: fail("unknown op `$op`: the runner must learn it")
            val unknown = step.fieldNames().asSequence().filter { it !in STEP_FIELDS && it !in fields }.toList()
            assertTrue(unknown.isEmpty(), "unexpected fields $unknown")
            when (op) {
                "establish" -> establish(step)
                "token" -> token(step)
                "status" -> {
                    val expected = step.text("expect")
                    assertEquals(expected, manager.status(step.text("user")).name.lowercase(), "status")
                }
                "logout" -> manager.logout(step.text("user"))
                "advance" -> {
                    val ms = step.required("ms").asLong()
                    emulator.advanceClock(ms)
                    clock.advanceMs(ms)
                }
                "faults" -> emulator.faults(step.required("faults"))
                "clear_faults" -> emulator.clearFaults()
                "operator_opt_out" -> emulator.optOut("email" to step.text("email"))
                "corrupt_refresh_token" -> {
                    val user = step.text("user")
                    val json = store.load(user) ?: fail("no identity stored for $user")
                    val identity = Identity.fromJson(json)
                    val corrupt = Identity(
                        identity.advertisingToken, "not-a-v2-refresh-token", identity.identityExpires,
                        identity.refreshFrom, identity.refreshExpires, identity.refreshResponseKey, identity.extraJson,
                    )
                    store.save(user, corrupt.toJson())
                }
            }
        }

        private fun establish(step: JsonNode) {
            val user = step.text("user")
            val consent = step["tcf_consent_string"]?.let { if (it.isTextual) it.asText() else fail("consent must be a string") }
            val expected = step.required("expect")
            val result = try {
                runBlocking { manager.establish(user, dii(step.required("dii")), consent) }
            } catch (err: EuidException) {
                assertEquals(expected["error"]?.asText(), err.kind.value, "expected $expected, got $err (${err.kind})")
                return
            }
            val name = when (result) {
                is GenerateResult.Success -> "success"
                GenerateResult.OptOut -> "optout"
                GenerateResult.InsufficientConsent -> "insufficient_consent"
            }
            assertEquals(expected.asText(null), name, "expected $expected, got $result")
            if (result is GenerateResult.Success) lastToken[user] = result.identity.advertisingToken
        }

        private fun token(step: JsonNode) {
            val user = step.text("user")
            val expected = step.required("expect")
            val answer = try {
                runBlocking { manager.advertisingToken(user) }
            } catch (err: EuidException) {
                assertEquals(expected["error"]?.asText(), err.kind.value, "expected $expected, got $err (${err.kind})")
                return
            }
            val name = when (answer) {
                is TokenAnswer.Token -> "token"
                TokenAnswer.NoIdentity -> "no_identity"
                TokenAnswer.OptedOut -> "opted_out"
                TokenAnswer.RefreshExpired -> "refresh_expired"
                TokenAnswer.Invalid -> "invalid"
            }
            assertEquals(expected["answer"]?.asText(), name, "expected $expected, got $answer")
            if (answer is TokenAnswer.Token) checkToken(user, answer.advertisingToken, expected.text("token"))
        }

        fun checkAfter(step: JsonNode) {
            step["store"]?.properties()?.forEach { (user, expected) ->
                val state = when ((store.load(user) != null) to store.isOptedOut(user)) {
                    true to false -> "identity"
                    false to true -> "opted_out"
                    false to false -> "none"
                    else -> fail("store for $user holds an identity and the opt-out marker")
                }
                assertEquals(expected.asText(), state, "store for $user")
            }
            step["requests"]?.properties()?.forEach { (endpoint, expected) ->
                assertTrue(endpoint in ENDPOINTS, "unknown endpoint $endpoint")
                assertTrue(expected.isIntegralNumber, "requests for $endpoint must be a number")
                assertEquals(expected.asLong(), emulator.requests(endpoint), "$endpoint requests")
            }
        }

        override fun close() {
            manager.close()
            client.close()
            clock.close()
        }

        private fun dii(spec: JsonNode): Dii {
            val value = spec.text("value")
            return when (val type = spec.text("type")) {
                "email" -> Dii.email(value)
                "phone" -> Dii.phone(value)
                "email_hash" -> Dii.emailHash(value)
                "phone_hash" -> Dii.phoneHash(value)
                else -> fail("unknown dii type `$type`")
            }
        }
    }

    private companion object {
        val CLIENT_FIELDS = setOf("max_retries", "timeout_ms")
        val STEP_FIELDS = setOf("op", "expect", "store", "requests", "note")
        val ENDPOINTS = setOf("generate", "refresh", "validate")

        /** Each op and the fields it reads besides [STEP_FIELDS]. */
        val OPS = mapOf(
            "establish" to setOf("user", "dii", "tcf_consent_string"),
            "token" to setOf("user"),
            "status" to setOf("user"),
            "logout" to setOf("user"),
            "advance" to setOf("ms"),
            "faults" to setOf("faults"),
            "clear_faults" to emptySet(),
            "operator_opt_out" to setOf("email"),
            "corrupt_refresh_token" to setOf("user"),
        )

        fun JsonNode.required(field: String): JsonNode = get(field) ?: fail("missing field `$field`")

        fun JsonNode.text(field: String): String =
            required(field).let { if (it.isTextual) it.asText() else fail("`$field` must be a string") }
    }
}
