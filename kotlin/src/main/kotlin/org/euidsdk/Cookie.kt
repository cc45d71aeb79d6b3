package org.euidsdk

import java.time.Duration
import java.time.Instant
import org.euidsdk.internal.BrowserIdentity as NativeBrowserIdentity
import org.euidsdk.internal.Cookie as NativeCookie
import org.euidsdk.internal.cookieHeader
import org.euidsdk.internal.identityCookie
import org.euidsdk.internal.optOutCookie
import org.euidsdk.internal.parseBrowserIdentity

/**
 * The `__euid` cookie the EUID browser SDK reads: the identity JSON, URI-encoded as
 * `encodeURIComponent` does, expiring with the refresh token. Made by [Cookies.forIdentity]
 * and [Cookies.optOut]. The browser SDK reads it from JavaScript, so it is never `HttpOnly`.
 *
 * [toString] never shows [value], which holds the tokens.
 *
 * @property name `__euid` ([Cookies.COOKIE_NAME]).
 * @property value the URI-encoded JSON, ready for a `Set-Cookie` header as is.
 * @property expiresMs when the cookie expires, in epoch milliseconds: the identity's
 *   `refresh_expires`.
 * @property path `/`.
 * @property domain the cookie domain (e.g. `.example.com`), or null for the current host only.
 * @property secure `Secure`: true.
 * @property sameSite `SameSite`: `Lax`.
 */
class Cookie internal constructor(
    val name: String,
    val value: String,
    val expiresMs: Long,
    val path: String,
    val domain: String?,
    val secure: Boolean,
    val sameSite: String,
) {
    /** [expiresMs] as an [Instant]. */
    val expires: Instant get() = Instant.ofEpochMilli(expiresMs)

    /**
     * The time left until [expires] from [now] (default: the current time), never negative:
     * the `Max-Age` for frameworks that take one (Spring's `ResponseCookie`, servlet cookies).
     */
    @JvmOverloads
    fun maxAge(now: Instant = Instant.now()): Duration =
        Duration.between(now, expires).let { if (it.isNegative) Duration.ZERO else it }

    /**
     * The `Set-Cookie` header value:
     * `__euid=<value>; Expires=<HTTP date>; Path=/; [Domain=<domain>; ]Secure; SameSite=Lax`.
     */
    fun toSetCookieHeader(): String = cookieHeader(toNative())

    internal fun toNative() = NativeCookie(name, value, expiresMs, path, domain, secure, sameSite)

    override fun equals(other: Any?): Boolean = other is Cookie && other.toNative() == toNative()

    override fun hashCode(): Int = toNative().hashCode()

    override fun toString(): String =
        "Cookie(name=$name, expires=$expires, path=$path, domain=$domain, secure=$secure, " +
            "sameSite=$sameSite, value=<redacted>)"

    internal companion object {
        fun of(cookie: NativeCookie) = Cookie(
            cookie.name, cookie.value, cookie.expiresMs, cookie.path, cookie.domain, cookie.secure,
            cookie.sameSite,
        )
    }
}

/** What the browser SDK stored in its cookie or local storage; `when` over it is exhaustive. */
sealed class BrowserIdentity {
    /** The identity, for [Found]; null otherwise. */
    open val identity: Identity? get() = null

    /** An identity the browser established or was given. */
    class Found(override val identity: Identity) : BrowserIdentity() {
        override fun equals(other: Any?) = other is Found && other.identity == identity
        override fun hashCode() = identity.hashCode()
        override fun toString() = "BrowserIdentity.Found($identity)"
    }

    /** The browser SDK's opt-out marker (`"status":"optout"`). */
    object OptedOut : BrowserIdentity() {
        override fun toString() = "BrowserIdentity.OptedOut"
    }
}

/**
 * The hand-off between the server and the EUID browser SDK, which keeps the identity in the
 * `__euid` cookie (or the `EUID-sdk-identity` local storage entry).
 *
 * Give the browser an identity the server established, so that the browser SDK refreshes
 * it from then on:
 *
 * ```java
 * Identity identity = manager.identity(userId);
 * if (identity != null) {
 *     Cookie cookie = Cookies.forIdentity(identity);
 *     // Any framework: the whole header.
 *     response.addHeader("Set-Cookie", cookie.toSetCookieHeader());
 *     // Spring (org.springframework.http.ResponseCookie):
 *     ResponseCookie spring = ResponseCookie.from(cookie.getName(), cookie.getValue())
 *         .path(cookie.getPath()).domain(cookie.getDomain()).secure(cookie.getSecure())
 *         .sameSite(cookie.getSameSite()).maxAge(cookie.maxAge()).build();
 *     response.addHeader(HttpHeaders.SET_COOKIE, spring.toString());
 *     // Servlet (jakarta.servlet.http.Cookie); SameSite needs Servlet 6's setAttribute:
 *     jakarta.servlet.http.Cookie servlet = new jakarta.servlet.http.Cookie(cookie.getName(), cookie.getValue());
 *     servlet.setPath(cookie.getPath());
 *     servlet.setSecure(cookie.getSecure());
 *     servlet.setMaxAge((int) cookie.maxAge().getSeconds());
 *     servlet.setAttribute("SameSite", cookie.getSameSite());
 *     response.addCookie(servlet);
 * }
 * ```
 *
 * Ktor:
 *
 * ```kotlin
 * val cookie = Cookies.forIdentity(identity)
 * call.response.cookies.append(
 *     io.ktor.http.Cookie(
 *         cookie.name, cookie.value, encoding = CookieEncoding.RAW, expires = GMTDate(cookie.expiresMs),
 *         path = cookie.path, secure = cookie.secure, extensions = mapOf("SameSite" to cookie.sameSite),
 *     ),
 * )
 * ```
 *
 * Take over an identity the browser established: `Cookies.parse(request.cookies["__euid"])`.
 * The value is already URI-encoded: set it raw, without the framework encoding it again.
 */
object Cookies {
    /** The browser SDK's cookie name: `__euid`. */
    const val COOKIE_NAME: String = "__euid"

    /** The browser SDK's local storage key: `EUID-sdk-identity`. */
    const val LOCAL_STORAGE_KEY: String = "EUID-sdk-identity"

    /**
     * The `__euid` cookie for [identity], expiring with its refresh token.
     *
     * @param domain the cookie domain (e.g. `.example.com` to share it with subdomains), or null
     *   (the default) for the current host only.
     * @throws InvalidIdentityException the identity's extra fields are not a JSON object.
     */
    @JvmStatic
    @JvmOverloads
    @Throws(EuidException::class)
    fun forIdentity(identity: Identity, domain: String? = null): Cookie =
        Cookie.of(native { identityCookie(identity.toNative(), domain) })

    /**
     * The browser SDK's opt-out marker as of [now] (default: the current time), kept 72 hours as
     * the browser SDK does: it then stops asking for a token for this browser.
     *
     * @param domain the cookie domain, or null (the default) for the current host only.
     */
    @JvmStatic
    @JvmOverloads
    fun optOut(now: Instant = Instant.now(), domain: String? = null): Cookie = optOut(now.toEpochMilli(), domain)

    /**
     * The browser SDK's opt-out marker as of [nowMs] epoch milliseconds, kept 72 hours.
     *
     * @param domain the cookie domain, or null (the default) for the current host only.
     */
    @JvmStatic
    @JvmOverloads
    fun optOut(nowMs: Long, domain: String? = null): Cookie = Cookie.of(optOutCookie(nowMs, domain))

    /**
     * Reads what the browser SDK stored: a `__euid` cookie value (URI-encoded JSON) or an
     * `EUID-sdk-identity` local storage value (plain JSON).
     *
     * @return [BrowserIdentity.Found] or [BrowserIdentity.OptedOut].
     * @throws InvalidIdentityException the value is neither an identity nor the opt-out marker.
     */
    @JvmStatic
    @Throws(EuidException::class)
    fun parse(value: String): BrowserIdentity = when (val parsed = native { parseBrowserIdentity(value) }) {
        is NativeBrowserIdentity.Identity -> BrowserIdentity.Found(Identity.of(parsed.identity))
        NativeBrowserIdentity.OptedOut -> BrowserIdentity.OptedOut
    }
}
