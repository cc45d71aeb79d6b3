package org.euidsdk

import java.net.URLDecoder
import java.net.URLEncoder
import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The `__euid` cookie hand-off with the browser SDK, on the EUID docs' example cookie. */
class CookiesTest {
    @Test
    fun `the documented cookie is read and written back`() {
        // encodeURIComponent(JSON.stringify(identity)), as the browser SDK writes it (URLEncoder
        // differs only for characters this JSON does not contain).
        val browserValue = URLEncoder.encode(DOCS_COOKIE_JSON, Charsets.UTF_8)
        assertTrue(browserValue.startsWith("%7B%22advertising_token%22%3A%22E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl"))
        val found = assertInstanceOf(BrowserIdentity.Found::class.java, Cookies.parse(browserValue))
        assertEquals(1_724_995_094_316, found.identity.refreshFrom)
        assertEquals("8yaj8hL5gS0fiB7CxvCxG25mDO3QWiqr73oF696QtiU=", found.identity.refreshResponseKey)
        assertTrue(found.identity.extraJson.contains("\"private\""), "unknown fields are kept")
        assertEquals(Identity.fromJson(DOCS_COOKIE_JSON), found.identity)
        // Local storage holds the same JSON without URI encoding.
        assertEquals(found, Cookies.parse(DOCS_COOKIE_JSON))

        // Written back: the same identity, URI-encoded the same way.
        val cookie = Cookies.forIdentity(found.identity, ".example.com")
        assertTrue(cookie.value.startsWith("%7B%22advertising_token%22%3A%22E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl"))
        assertEquals(found.identity.toJson(), URLDecoder.decode(cookie.value, Charsets.UTF_8))
        assertEquals(found, Cookies.parse(cookie.value))
    }

    @Test
    fun `the Set-Cookie header carries the recommended attributes`() {
        val identity = Identity.fromJson(DOCS_COOKIE_JSON)
        val cookie = Cookies.forIdentity(identity, ".example.com")
        assertEquals(Cookies.COOKIE_NAME, cookie.name)
        assertEquals("__euid", cookie.name)
        assertEquals(identity.refreshExpires, cookie.expiresMs)
        assertEquals(identity.refreshExpiresAt, cookie.expires)
        assertEquals("/", cookie.path)
        assertEquals(".example.com", cookie.domain)
        assertTrue(cookie.secure)
        assertEquals("Lax", cookie.sameSite)
        val header = cookie.toSetCookieHeader()
        assertTrue(header.startsWith("__euid=%7B%22advertising_token%22"), header.take(40))
        assertTrue(
            header.endsWith(
                "; Expires=Sun, 29 Sep 2024 05:13:14 GMT; Path=/; Domain=.example.com; Secure; SameSite=Lax",
            ),
        )
        assertFalse(header.contains("HttpOnly"), "the browser SDK reads the cookie from JavaScript")
        assertEquals("__euid=${cookie.value}; Expires=Sun, 29 Sep 2024 05:13:14 GMT; Path=/; Secure; SameSite=Lax",
            Cookies.forIdentity(identity).toSetCookieHeader())
    }

    @Test
    fun `max-age counts down to the refresh expiry and never goes negative`() {
        val cookie = Cookies.forIdentity(Identity.fromJson(DOCS_COOKIE_JSON))
        assertEquals(Duration.ofHours(1), cookie.maxAge(cookie.expires.minus(Duration.ofHours(1))))
        assertEquals(Duration.ZERO, cookie.maxAge(cookie.expires.plusSeconds(1)))
        assertEquals(Duration.ZERO, cookie.maxAge())
    }

    @Test
    fun `the opt-out marker lasts 72 hours and is recognised`() {
        val now = Instant.parse("2024-09-01T00:00:00Z")
        val cookie = Cookies.optOut(now, "example.com")
        assertEquals(now.plus(Duration.ofHours(72)), cookie.expires)
        assertEquals(Cookies.optOut(now.toEpochMilli(), "example.com"), cookie)
        assertEquals("example.com", cookie.domain)
        assertTrue(URLDecoder.decode(cookie.value, Charsets.UTF_8).contains("\"status\":\"optout\""))
        val parsed = Cookies.parse(cookie.value)
        assertSame(BrowserIdentity.OptedOut, parsed)
        assertNull(parsed.identity)
        assertTrue(Cookies.optOut().expires.isAfter(Instant.now().plus(Duration.ofHours(71))))
    }

    @Test
    fun `a value that is neither an identity nor the marker is an InvalidIdentityException`() {
        assertThrows<InvalidIdentityException> { Cookies.parse("%7Bnot json") }
        assertThrows<InvalidIdentityException> { Cookies.parse("%E0%A4%A") }
        assertThrows<InvalidIdentityException> { Cookies.parse("""{"advertising_token":"AT"}""") }
    }

    @Test
    fun `cookies print no token`() {
        val cookie = Cookies.forIdentity(Identity.fromJson(DOCS_COOKIE_JSON))
        assertFalse(cookie.toString().contains("E4AAAA"))
        assertFalse(cookie.toString().contains("%7B"))
        assertTrue(cookie.toString().contains("value=<redacted>"))
        assertEquals("EUID-sdk-identity", Cookies.LOCAL_STORAGE_KEY)
    }

    private companion object {
        /**
         * The EUID docs' example `__euid` cookie (docs/snippets/_example-euid-cookie.mdx), as in
         * `core/tests/client/manager.rs`.
         */
        const val DOCS_COOKIE_JSON = """{"advertising_token":"E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl-e1kJLCL0b9wTq0UORlRIFjIS4Mz7I3TYy6YrYyIGDwjHWZOifsnYTZawQcCwAkfyp0RbkLhB4Hznodt3ZLHrOYqFmvSrsbEuMrowfoGSJyFz3hj-Q4CArezZzamp1-aoOjJz3s-ydQADH7OapPv5iQBYBiWza3r3tBVY7drUMV8_08aBMqHuLyKzNUvws","identity_expires":1724995694316,"refresh_expires":1727586794316,"refresh_from":1724995094316,"refresh_response_key":"8yaj8hL5gS0fiB7CxvCxG25mDO3QWiqr73oF696QtiU=","refresh_token":"EAAABbf4KYu1LMa4+9wE7SqDIhSnSOMSmneocSaAxYl9ptV7iEOT0899ZUdtaTkSb5fHuArOtanqenPIDESXqg5uhqCDlHZfIqqq6HNBiV4ZZjPm3nA2LJAQ9Za0WydmWcpTdPSapcMyQPvW9CQTZcHNoYTVjtol4nraKDcn6ZGxea/4TA+zeFf9ohBZ8Eyt1zN+JKhB4ccvbCUeFaRrOKYyBUppGdaRiN6bL+d/uKY6XPVCw4lW7BJ87xDRb/JDfkG1bly0sIl3MWaFQK8AzEJJj8dzBYvpYAVXbvpxi/9gDEAzsdF3lT8Mdso8xj4Kx7jp79QDrIBL40E4pSDaNeNMnU8+Yo1nrQVCO2JBEy3kpvn8pUnDjxZlBTZ9I4PkmH/Q","private":{}}"""
    }
}
