package org.euidsdk

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.JsonNodeFactory
import com.fasterxml.jackson.databind.node.ObjectNode
import java.io.File
import java.util.Base64
import java.util.HexFormat
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail

/**
 * Every case of every shared vector file (`tests/vectors/`, see its README), each as its own
 * dynamic test named `file:case-name`, through the public `org.euidsdk` API only.
 *
 * The logic follows the Python runner (`python/tests/test_vectors.py`) op by op. An unknown
 * `op`, event type or field fails the case, and a final test per file checks that every case
 * of the file ran.
 */
class VectorsTest {
    private val mapper = ObjectMapper()
    private val json = JsonNodeFactory.instance
    private val hex = HexFormat.of()
    private val vectorsDir = File(
        System.getProperty("vectors.dir") ?: error("the system property vectors.dir is not set"),
    )

    @Test
    fun `every vector file in the directory is run`() {
        val files = vectorsDir.listFiles { file -> file.name.endsWith(".json") }
            ?: error("cannot list $vectorsDir")
        val runsElsewhere = setOf("manager", "faults")
        assertEquals(FILES.sorted(), files.map { it.nameWithoutExtension }.filter { it !in runsElsewhere }.sorted())
    }

    @TestFactory
    fun `every case of every vector file`(): List<DynamicNode> = FILES.flatMap { file ->
        val document = mapper.readTree(File(vectorsDir, "$file.json"))
        val cases = document["cases"]?.toList() ?: error("$file.json has no cases")
        var ran = 0
        val tests = cases.map { case ->
            val name = "$file:${case.text("name")}"
            dynamicTest(name) {
                ran += 1
                try {
                    runCase(case)
                } catch (failure: AssertionError) {
                    // Surefire reports dynamic tests by index: name the case in the message.
                    throw AssertionError("$name: ${failure.message}", failure)
                }
            }
        }
        // Dynamic tests run in order, so this one comes after every case of the file.
        tests + dynamicTest("$file:every case ran") {
            assertTrue(cases.isNotEmpty(), "$file.json has no cases")
            assertEquals(cases.size, ran, "$file.json: not every case ran")
            assertEquals(cases.size, cases.map { it.text("name") }.toSet().size, "$file.json: duplicate names")
        }
    }

    private fun runCase(case: JsonNode) {
        val opName = case.text("op")
        val op = ops[opName] ?: fail("unknown op `$opName`: the runner must learn it")
        val unknown = case.fieldNames().asSequence().filter { it !in COMMON_FIELDS && it !in op.fields }.toList()
        assertTrue(unknown.isEmpty(), "unexpected fields $unknown")
        val expected = case["expect"]
        val error = case["error"]
        when {
            expected != null && error == null -> assertEquals(expected, normalized(op.run(case)))
            error != null && expected == null -> {
                val err = assertThrows<EuidException> { op.run(case) }
                assertEquals(error.asText(), err.kind.value, "error kind")
            }
            else -> fail("a case needs exactly one of `expect` and `error`")
        }
    }

    /** An op: the fields it reads and what it returns for `expect`. */
    private class Op(val fields: Set<String>, val run: (JsonNode) -> Any?)

    private val ops: Map<String, Op> = mapOf(
        "normalize_email" to simple(::normalizeEmail),
        "hash_email" to simple(::hashEmail),
        "normalize_phone" to simple(::normalizePhone),
        "hash_phone" to simple(::hashPhone),
        "normalize_email_hash" to simple(::normalizeEmailHash),
        "normalize_phone_hash" to simple(::normalizePhoneHash),
        "hash_emails" to Op(setOf("inputs"), ::hashEmailsOp),
        "seal_request" to Op(SEAL_FIELDS) { seal(it, Envelope::sealRequest) },
        "open_request" to Op(setOf("key", "envelope"), ::openRequest),
        "seal_response" to Op(SEAL_FIELDS) { seal(it, Envelope::sealResponse) },
        "decrypt_generate_response" to
            Op(setOf("key", "nonce", "encoding", "body", "body_hex"), ::decryptGenerateResponse),
        "decrypt_refresh_response" to Op(setOf("key", "body"), ::decryptRefreshResponse),
        "generate_request_json" to Op(setOf("dii", "tcf_consent_string"), ::generateRequestJson),
        "parse_identity" to Op(setOf("json"), ::parseIdentity),
        "status" to Op(setOf("state", "identity", "since_ms", "now_ms"), ::status),
        "transition" to Op(setOf("state", "identity", "since_ms", "now_ms", "event"), ::transition),
    )

    private fun simple(function: (String) -> String) = Op(setOf("input")) { function(it.text("input")) }

    // normalization.json

    private fun hashEmailsOp(case: JsonNode): Any {
        val inputs = case.required("inputs").map { it.asText() }
        val lenient = hashEmailsOrNull(inputs)
        if (lenient.all { it != null }) {
            assertEquals(lenient, hashEmails(inputs))
        } else {
            assertThrows<InvalidInputException> { hashEmails(inputs) }
        }
        return lenient
    }

    // envelope.json

    private fun seal(case: JsonNode, seal: (String, ByteArray, Long, ByteArray, ByteArray) -> ByteArray): String {
        val sealed = seal(
            case.text("key"),
            case.text("payload").toByteArray(),
            case.required("timestamp_ms").asLong(),
            hex.parseHex(case.text("nonce")),
            hex.parseHex(case.text("iv")),
        )
        return Base64.getEncoder().encodeToString(sealed)
    }

    private fun openRequest(case: JsonNode): Any {
        val opened = Envelope.openRequest(case.text("key"), case.text("envelope").toByteArray(), binary = false)
        return mapOf(
            "timestamp_ms" to opened.timestampMs,
            "nonce" to hex.formatHex(opened.nonce),
            "payload" to opened.payload.decodeToString(),
        )
    }

    private fun decryptGenerateResponse(case: JsonNode): Any {
        val body = when (val encoding = case.text("encoding")) {
            "base64" -> case.text("body").toByteArray()
            "binary" -> hex.parseHex(case.text("body_hex"))
            else -> fail("unknown encoding `$encoding`")
        }
        val binary = case.text("encoding") == "binary"
        return outcome(Envelope.decryptGenerateResponse(case.text("key"), body, hex.parseHex(case.text("nonce")), binary))
    }

    private fun decryptRefreshResponse(case: JsonNode): Any {
        val key = case.required("key").let { if (it.isNull) null else it.asText() }
        return outcome(Envelope.decryptRefreshResponse(key, case.text("body").toByteArray()))
    }

    private fun outcome(result: Any): Map<String, Any> {
        val (name, identity) = when (result) {
            is GenerateResult.Success -> "success" to result.identity
            GenerateResult.OptOut, RefreshResult.OptOut -> "optout" to null
            GenerateResult.InsufficientConsent -> "insufficient_consent" to null
            is RefreshResult.Success -> "refreshed" to result.identity
            RefreshResult.ExpiredToken -> "expired_token" to null
            RefreshResult.InvalidToken -> "invalid_token" to null
            else -> fail("not a result: $result")
        }
        return if (identity == null) mapOf("outcome" to name) else mapOf("outcome" to name, "identity" to tree(identity))
    }

    private fun generateRequestJson(case: JsonNode): String {
        val dii = case.required("dii")
        val value = dii.text("value")
        val input = when (val type = dii.text("type")) {
            "email" -> Dii.email(value)
            "phone" -> Dii.phone(value)
            "email_hash" -> Dii.emailHash(value)
            "phone_hash" -> Dii.phoneHash(value)
            "raw_email" -> Dii.rawEmail(value)
            "raw_phone" -> Dii.rawPhone(value)
            else -> fail("unknown dii type `$type`")
        }
        val consent = case["tcf_consent_string"]?.let { if (it.isTextual) it.asText() else fail("consent must be a string") }
        return Envelope.generateRequestJson(input, consent)
    }

    // identity.json

    private fun parseIdentity(case: JsonNode): Any {
        val identity = Identity.fromJson(case.text("json"))
        val text = identity.toJson()
        return mapOf(
            "advertising_token" to identity.advertisingToken,
            "refresh_token" to identity.refreshToken,
            "identity_expires" to identity.identityExpires,
            "refresh_from" to identity.refreshFrom,
            "refresh_expires" to identity.refreshExpires,
            "refresh_response_key" to identity.refreshResponseKey,
            "extra_fields" to mapper.readTree(text).fieldNames().asSequence().filter { it !in KNOWN_FIELDS }.toList(),
            "to_json" to text,
        )
    }

    // lifecycle.json

    private fun start(case: JsonNode): Pair<Lifecycle, Identity?> {
        val identity = identityOf(case.required("identity"))
        val since = (case["since_ms"] ?: case.required("now_ms")).asLong()
        return Lifecycle.restore(statusOf(case.text("state")), identity, since) to identity
    }

    private fun status(case: JsonNode): Any {
        val now = case.required("now_ms").asLong()
        return start(case).first.use { lifecycle -> state(lifecycle.statusAt(now), lifecycle.adviceAt(now)) }
    }

    private fun transition(case: JsonNode): Any {
        val (lifecycle, before) = start(case)
        val event = case.required("event")
        val now = case.required("now_ms").asLong()
        val eventIdentity = event["identity"]?.let(::identityOf)
        val after = lifecycle.use {
            when (val type = event.text("type")) {
                "generated" -> it.onGenerated(generateResult(event.text("outcome"), eventIdentity), now)
                "refreshed" -> it.onRefreshed(refreshResult(event.text("outcome"), eventIdentity), now)
                "refresh_failed" -> it.onRefreshFailed(now)
                "time_passed" -> it.onTimePassed(now)
                "logout" -> it.onLogout(now)
                else -> fail("unknown event type `$type`")
            }
        }
        return after.use {
            val held = it.identity
            val which = when {
                held == null -> "none"
                eventIdentity != null && held == eventIdentity -> "new"
                held == before -> "kept"
                else -> "other"
            }
            state(it.status, it.adviceAt(now)) + ("identity" to which)
        }
    }

    private fun generateResult(outcome: String, identity: Identity?): GenerateResult = when (outcome) {
        "success" -> GenerateResult.Success(identity ?: fail("a success event needs an identity"))
        "optout" -> GenerateResult.OptOut
        "insufficient_consent" -> GenerateResult.InsufficientConsent
        else -> fail("unknown generate outcome `$outcome`")
    }

    private fun refreshResult(outcome: String, identity: Identity?): RefreshResult = when (outcome) {
        "refreshed" -> RefreshResult.Success(identity ?: fail("a refreshed event needs an identity"))
        "optout" -> RefreshResult.OptOut
        "expired_token" -> RefreshResult.ExpiredToken
        "invalid_token" -> RefreshResult.InvalidToken
        else -> fail("unknown refresh outcome `$outcome`")
    }

    private fun statusOf(name: String): IdentityStatus =
        IdentityStatus.entries.firstOrNull { it.name.lowercase() == name } ?: fail("unknown state `$name`")

    private fun state(status: IdentityStatus, advice: Advice): Map<String, Any> =
        mapOf("status" to status.name.lowercase(), "code" to status.code, "advice" to advice.name.lowercase())

    // Helpers

    private fun identityOf(node: JsonNode): Identity? = when {
        node.isNull -> null
        node.isObject -> Identity.fromJson(mapper.writeValueAsString(node))
        else -> fail("an identity must be an object or null")
    }

    /** The identity's map form as a JSON tree. */
    private fun tree(identity: Identity): ObjectNode = mapper.readTree(identity.toJson()) as ObjectNode

    /** [value] as the JSON tree Jackson would parse from its text, so number types match. */
    private fun normalized(value: Any?): JsonNode =
        mapper.readTree(mapper.writeValueAsString(value ?: json.nullNode()))

    private fun JsonNode.required(field: String): JsonNode = get(field) ?: fail("missing field `$field`")

    private fun JsonNode.text(field: String): String =
        required(field).let { if (it.isTextual) it.asText() else fail("`$field` must be a string") }

    private companion object {
        val FILES = listOf("normalization", "envelope", "identity", "lifecycle")
        val COMMON_FIELDS = setOf("name", "op", "expect", "error", "note")
        val SEAL_FIELDS = setOf("key", "iv", "nonce", "timestamp_ms", "payload")
        val KNOWN_FIELDS = setOf(
            "advertising_token", "refresh_token", "identity_expires", "refresh_from", "refresh_expires",
            "refresh_response_key",
        )
    }
}
