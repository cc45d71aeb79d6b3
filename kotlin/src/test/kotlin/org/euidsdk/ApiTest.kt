package org.euidsdk

import java.time.Instant
import java.util.concurrent.ExecutionException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A valid client secret (32 bytes, base64). */
private const val SECRET = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="

/** The hand-written layer itself: names, conversions and errors that the vectors do not reach. */
class ApiTest {
    private val identityJson =
        """{"advertising_token":"AT-secret","refresh_token":"RT-secret","identity_expires":3000,""" +
            """"refresh_from":2000,"refresh_expires":4000,"refresh_response_key":""" +
            """"P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=","user_token":"x"}"""

    @Test
    fun `an invalid email throws InvalidInputException with its kind`() {
        val err = assertThrows(InvalidInputException::class.java) { hashEmail("not an email") }
        assertEquals(ErrorKind.INVALID_EMAIL, err.kind)
        assertFalse(err.message!!.contains("not an email"))
    }

    @Test
    fun `a string with a lone surrogate is an InvalidInputException, through the door and through UniFFI`() {
        val broken = "user\uD800@example.com"
        val calls = listOf<Pair<String, () -> Any?>>(
            "hashEmail" to { hashEmail(broken) },
            "a client's generate" to {
                PublisherClient("http://127.0.0.1:9", "key", SECRET, maxRetries = 0).use {
                    it.generateTokenAsync(Dii.email(broken)).get()
                }
            },
            "a client's constructor" to { PublisherClient("http://127.0.0.1:9", "key$broken", SECRET) },
        )
        for ((what, call) in calls) {
            val err = assertThrows(Throwable::class.java) { call() }
            val cause = if (err is ExecutionException) err.cause else err
            assertInstanceOf(InvalidInputException::class.java, cause, what)
            assertEquals(ErrorKind.INVALID_ARGUMENT, (cause as InvalidInputException).kind, what)
        }
    }

    @Test
    fun `hashEmails names the index of the first invalid email`() {
        val err = assertThrows(InvalidInputException::class.java) {
            hashEmails(listOf("a@example.com", "b@example.com", "broken"))
        }
        assertTrue(err.detail.contains("index 2"))
        assertEquals(listOf(hashEmail("a@example.com"), null), hashEmailsOrNull(listOf("a@example.com", "x")))
    }

    @Test
    fun `identity round trips, keeps unknown fields and never prints tokens`() {
        val identity = Identity.fromJson(identityJson)
        assertEquals(identityJson, identity.toJson())
        assertEquals(Instant.ofEpochMilli(3000), identity.identityExpiresAt)
        assertFalse(identity.toString().contains("secret"))
        assertFalse(identity.toString().contains("P941"))
        assertEquals(identity, Identity.fromJson(identity.toJson()))
    }

    @Test
    fun `identity status and advice follow the lifecycle boundaries`() {
        val identity = Identity.fromJson(identityJson)
        assertEquals(IdentityStatus.ESTABLISHED, identity.statusAt(1999))
        assertEquals(Advice.USE_AS_IS, identity.adviceAt(1999))
        assertEquals(Advice.USE_AND_REFRESH, identity.adviceAt(2000))
        assertEquals(IdentityStatus.EXPIRED, identity.statusAt(3000))
        // At refresh_expires the refresh token still works; the operator refuses it only after.
        assertEquals(IdentityStatus.EXPIRED, identity.statusAt(4000))
        assertEquals(IdentityStatus.REFRESH_EXPIRED, identity.statusAt(4001))
        assertEquals(-3, IdentityStatus.REFRESH_EXPIRED.code)
        assertEquals(IdentityStatus.OPTOUT, IdentityStatus.fromCode(-4))
    }

    @Test
    fun `a malformed identity is an InvalidIdentityException`() {
        val err = assertThrows(InvalidIdentityException::class.java) {
            Identity.fromJson("""{"advertising_token":"AT"}""")
        }
        assertEquals(ErrorKind.INVALID_IDENTITY, err.kind)
    }

    @Test
    fun `plain http to a public host is a ConfigException`() {
        assertThrows(ConfigException::class.java) {
            PublisherClient("http://prod.euid.eu", "key", SECRET)
        }
        assertThrows(ConfigException::class.java) { PublisherClient(INTEGRATION_URL, "key", "short") }
    }

    @Test
    fun `the client prints no credentials`() {
        PublisherClient(PRODUCTION_URL, "key-123456", SECRET).use {
            assertFalse(it.toString().contains("123456"))
            assertEquals(PRODUCTION_URL, it.baseUrl)
        }
    }

    @Test
    fun `the batch agrees with one call per email, whatever the addresses hold`() {
        val emails = listOf(
            "USER@example.com", "  Jane.Doe+x@GMail.com ", "ÄBC@test.com", "a\nb@example.com",
            "broken", "", "x@y", "user@example.com",
        )
        val single = emails.map { email ->
            try {
                hashEmail(email)
            } catch (err: InvalidInputException) {
                null
            }
        }
        assertEquals(single, hashEmailsOrNull(emails))
        assertEquals(single[0], single[7], "normalized first")
        assertEquals(listOf(false, false, false, false, true, true, false, false), single.map { it == null })
        // Larger than the per-thread buffers both ways: arguments and result in their own buffers.
        val many = (0 until 2_000).map { "user$it@example.com" }
        assertEquals(many.map(::hashEmail), hashEmailsOrNull(many))
        val long = "x".repeat(5_000) + "@example.com"
        val longHash = runCatching { hashEmail(long) }.getOrNull()
        assertEquals(listOf(longHash), hashEmailsOrNull(listOf(long)))
    }
}
