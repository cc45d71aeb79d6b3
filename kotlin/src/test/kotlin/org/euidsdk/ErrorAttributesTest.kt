package org.euidsdk

import org.euidsdk.EmulatorTest.Api
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.extension.RegisterExtension
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/** The fields every [EuidException] carries, from the operator's answers, in every call form. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorAttributesTest {
    @JvmField
    @RegisterExtension
    val server = SharedEmulator()
    private val emulator: Emulator get() = server.emulator
    private val dii = Dii.email("user@example.com")

    @ParameterizedTest
    @EnumSource
    fun `a 429 with Retry-After gives retryAfterMs`(api: Api) {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "status", "status" to 429, "retry_after" to 7))
        emulator.client(maxRetries = 0).use { client ->
            val err = assertThrows<RateLimitedException> { api.generate(client, dii) }
            assertEquals(ErrorKind.RATE_LIMITED, err.kind)
            assertEquals(7_000L, err.retryAfterMs)
            assertEquals(429, err.httpStatus)
            assertTrue(err.isRetryable)
        }
        assertEquals(1, emulator.requests("generate"))
    }

    @ParameterizedTest
    @EnumSource
    fun `a 5xx gives its httpStatus`(api: Api) {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "status", "status" to 502))
        emulator.client(maxRetries = 0).use { client ->
            val err = assertThrows<ServerErrorException> { api.generate(client, dii) }
            assertEquals(ErrorKind.SERVER_ERROR, err.kind)
            assertEquals(502, err.httpStatus)
            assertTrue(err.isRetryable)
            assertNull(err.retryAfterMs)
        }
    }

    @ParameterizedTest
    @EnumSource
    fun `a 400 gives the operator's status`(api: Api) {
        emulator.client().use { client ->
            val err = assertThrows<ClientErrorException> { api.generate(client, dii, "not-a-tc-string") }
            assertEquals(ErrorKind.CLIENT_ERROR, err.kind)
            assertEquals(400, err.httpStatus)
            assertEquals("client_error", err.operatorStatus)
            assertFalse(err.isRetryable)
            assertNull(err.retryAfterMs)
        }
    }

    @Test
    fun `a local failure has no operator fields`() {
        val err = assertThrows<InvalidInputException> { hashEmail("not an email") }
        assertEquals(ErrorKind.INVALID_EMAIL, err.kind)
        assertFalse(err.isRetryable)
        assertNull(err.httpStatus)
        assertNull(err.operatorStatus)
        assertNull(err.retryAfterMs)
    }

    @Test
    fun `every kind has the core's snake_case name`() {
        assertEquals("invalid_email", ErrorKind.INVALID_EMAIL.value)
        assertEquals("response_too_large", ErrorKind.RESPONSE_TOO_LARGE.value)
        for (kind in ErrorKind.entries) assertEquals(kind, ErrorKind.fromValue(kind.value))
        assertNull(ErrorKind.fromValue("no_such_kind"))
    }
}
