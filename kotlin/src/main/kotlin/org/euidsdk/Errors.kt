package org.euidsdk

import java.nio.charset.CharacterCodingException
import org.euidsdk.internal.ErrorInfo as NativeInfo
import org.euidsdk.internal.EuidException as NativeException
import org.euidsdk.internal.InternalException as NativePanic

/**
 * The root of every exception the SDK throws. Catch it to catch everything, or catch a
 * subclass for the failures you handle differently. Every field is on every exception.
 *
 * @property kind the stable kind of the failure ([ErrorKind.INVALID_EMAIL], [ErrorKind.TIMEOUT],
 *   ...), shared with the Rust core, the Python package and the test vectors.
 * @property detail the message; it never contains a token, key, email or response body.
 */
sealed class EuidException(val kind: ErrorKind, val detail: String) : Exception(detail) {
    /**
     * Whether the same call may succeed later: network failures, an unreachable proxy, timeouts,
     * HTTP 5xx and 429.
     */
    var isRetryable: Boolean = false
        private set

    /** The HTTP status of the operator's answer (or a proxy's 407), if there was one. */
    var httpStatus: Int? = null
        private set

    /** The operator's `status` field (`client_error`, ...), if its answer had one. */
    var operatorStatus: String? = null
        private set

    /** The wait the operator asked for (`Retry-After` of an HTTP 429), in milliseconds. */
    var retryAfterMs: Long? = null
        private set

    /** This exception with the fields of [info]. */
    internal fun with(info: NativeInfo): EuidException {
        isRetryable = info.isRetryable
        httpStatus = info.httpStatus?.toInt()
        operatorStatus = info.operatorStatus
        retryAfterMs = info.retryAfterMs?.let { if (it > Long.MAX_VALUE.toULong()) Long.MAX_VALUE else it.toLong() }
        return this
    }
}

/** An email, phone number, hash or argument is not valid. */
class InvalidInputException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** Identity JSON (from storage or a cookie) is malformed. */
class InvalidIdentityException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The client configuration is invalid (base URL, client secret, timeouts). */
class ConfigException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** HTTP 401: the operator rejected the API key. */
class UnauthorizedException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The operator rejected the request (HTTP 4xx, [httpStatus]) with a message ([operatorStatus]). */
class ClientErrorException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/**
 * The operator rejected the request time: this machine's clock is off by more than it accepts, and
 * the SDK had no correction that worked. Synchronize the clock (NTP).
 */
class ClockDriftException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** HTTP 5xx from the operator or a proxy ([httpStatus]), after the retries. */
class ServerErrorException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** HTTP 429 after the retries; [retryAfterMs] is the wait the operator asked for, if any. */
class RateLimitedException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The call ran past its timeout or deadline. */
class EuidTimeoutException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The operator could not be reached; [ProxyException] and [UntrustedCertificateException] say why. */
open class NetworkException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/**
 * The forward proxy could not be used; [kind] says why: [ErrorKind.PROXY_UNREACHABLE] (retryable),
 * [ErrorKind.PROXY_AUTH_REQUIRED] (HTTP 407: missing or wrong credentials in the proxy URL) or
 * [ErrorKind.PROXY_REFUSED] (it would not open a tunnel to the operator).
 */
class ProxyException internal constructor(kind: ErrorKind, detail: String) : NetworkException(kind, detail)

/**
 * The operator's TLS certificate is not trusted (unknown issuer, wrong name, expired): add its CA
 * with `caCertificatesPem`, or to the JVM's trust store.
 */
class UntrustedCertificateException internal constructor(kind: ErrorKind, detail: String) :
    NetworkException(kind, detail)

/** The operator's answer could not be read (envelope, decryption, nonce, JSON). */
class ProtocolException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The identity store failed. */
class StoreException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The [PublisherClient] or [IdentityManager] was closed before the call. */
class ClientClosedException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** A defect in the SDK. Please report it. */
class InternalErrorException internal constructor(kind: ErrorKind, detail: String) : EuidException(kind, detail)

/** The public exception of a generated one: the one table from variant to class. */
@JvmSynthetic // hidden from Java, which would otherwise see it as public ErrorsKt.toPublic
internal fun NativeException.toPublic(): EuidException {
    val (make, info) = when (this) {
        is NativeException.InvalidInput -> ::InvalidInputException to info
        is NativeException.InvalidIdentity -> ::InvalidIdentityException to info
        is NativeException.Config -> ::ConfigException to info
        is NativeException.Unauthorized -> ::UnauthorizedException to info
        is NativeException.ClientException -> ::ClientErrorException to info
        is NativeException.ClockDrift -> ::ClockDriftException to info
        is NativeException.ServerException -> ::ServerErrorException to info
        is NativeException.RateLimited -> ::RateLimitedException to info
        is NativeException.Timeout -> ::EuidTimeoutException to info
        is NativeException.Network -> ::NetworkException to info
        is NativeException.Proxy -> ::ProxyException to info
        is NativeException.UntrustedCertificate -> ::UntrustedCertificateException to info
        is NativeException.Protocol -> ::ProtocolException to info
        is NativeException.Store -> ::StoreException to info
        is NativeException.Closed -> ::ClientClosedException to info
        is NativeException.Internal -> ::InternalErrorException to info
    }
    return make(ErrorKind.of(info.kind), info.message).with(info)
}

/** Runs a generated (UniFFI) call, turning its exceptions into the public ones. */
@JvmSynthetic
internal inline fun <T> native(block: () -> T): T = try {
    block()
} catch (err: NativeException) {
    throw err.toPublic()
} catch (err: NativePanic) {
    throw InternalErrorException(ErrorKind.INTERNAL, err.message ?: "the native library failed")
} catch (_: CharacterCodingException) {
    throw notUtf16()
}

/**
 * What the generated converters' [CharacterCodingException] becomes: a string argument with a
 * lone surrogate has no UTF-8 form.
 */
@JvmSynthetic
internal fun notUtf16() = InvalidInputException(
    ErrorKind.INVALID_ARGUMENT, "a text argument is not valid UTF-16: it has a lone surrogate",
)
