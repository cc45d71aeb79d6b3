package org.euidsdk

import org.euidsdk.internal.EuidException as NativeException
import org.euidsdk.internal.InternalException as NativePanic

/**
 * The root of every exception the SDK throws. Catch it to catch everything, or catch a
 * subclass for the failures you handle differently.
 *
 * @property kind a stable snake_case name of the failure (`invalid_email`, `timeout`, ...),
 *   shared with the Rust core, the Python package and the test vectors.
 * @property detail the message; it never contains a token, key, email or response body.
 */
sealed class EuidException(val kind: String, val detail: String) : Exception(detail)

/** An email, phone number, hash or argument is not valid. */
class InvalidInputException(kind: String, detail: String) : EuidException(kind, detail)

/** Identity JSON (from storage or a cookie) is malformed. */
class InvalidIdentityException(kind: String, detail: String) : EuidException(kind, detail)

/** The client configuration is invalid (base URL, client secret, timeouts). */
class ConfigException(kind: String, detail: String) : EuidException(kind, detail)

/** HTTP 401: the operator rejected the API key. */
class UnauthorizedException(kind: String, detail: String) : EuidException(kind, detail)

/**
 * The operator rejected the request (HTTP 4xx) with a message.
 *
 * @property httpStatus the HTTP status code.
 * @property operatorStatus the operator's `status` field, or null when the body was not JSON.
 */
class ClientErrorException(
    kind: String,
    detail: String,
    val httpStatus: Int,
    val operatorStatus: String?,
) : EuidException(kind, detail)

/** The operator rejected the request time, even after one correction. */
class ClockDriftException(kind: String, detail: String) : EuidException(kind, detail)

/** HTTP 5xx from the operator or a proxy, after the retries. */
class ServerErrorException(kind: String, detail: String, val httpStatus: Int) :
    EuidException(kind, detail)

/** HTTP 429 after the retries; [retryAfterMs] is the wait the operator asked for, if any. */
class RateLimitedException(kind: String, detail: String, val retryAfterMs: Long?) :
    EuidException(kind, detail)

/** The call ran past its timeout or deadline. */
class EuidTimeoutException(kind: String, detail: String) : EuidException(kind, detail)

/** The operator could not be reached. */
class NetworkException(kind: String, detail: String) : EuidException(kind, detail)

/** The operator's answer could not be read (envelope, decryption, nonce, JSON). */
class ProtocolException(kind: String, detail: String) : EuidException(kind, detail)

/** The identity store failed. */
class StoreException(kind: String, detail: String) : EuidException(kind, detail)

/** A defect in the SDK. Please report it. */
class InternalErrorException(kind: String, detail: String) : EuidException(kind, detail)

@JvmSynthetic // hidden from Java, which would otherwise see it as public ErrorsKt.toPublic
internal fun NativeException.toPublic(): EuidException = when (this) {
    is NativeException.InvalidInput -> InvalidInputException(kind, detail)
    is NativeException.InvalidIdentity -> InvalidIdentityException(kind, detail)
    is NativeException.Config -> ConfigException(kind, detail)
    is NativeException.Unauthorized -> UnauthorizedException(kind, detail)
    is NativeException.ClientException -> ClientErrorException(kind, detail, httpStatus, operatorStatus)
    is NativeException.ClockDrift -> ClockDriftException(kind, detail)
    is NativeException.ServerException -> ServerErrorException(kind, detail, httpStatus)
    is NativeException.RateLimited -> RateLimitedException(kind, detail, retryAfterMs)
    is NativeException.Timeout -> EuidTimeoutException(kind, detail)
    is NativeException.Network -> NetworkException(kind, detail)
    is NativeException.Protocol -> ProtocolException(kind, detail)
    is NativeException.Store -> StoreException(kind, detail)
    is NativeException.Internal -> InternalErrorException(kind, detail)
}

/** Runs [block], turning the generated exceptions into the public ones. */
@JvmSynthetic
internal inline fun <T> native(block: () -> T): T = try {
    block()
} catch (err: NativeException) {
    throw err.toPublic()
} catch (err: NativePanic) {
    throw InternalErrorException("internal", err.message ?: "the native library failed")
}
