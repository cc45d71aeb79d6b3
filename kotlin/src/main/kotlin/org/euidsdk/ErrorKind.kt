package org.euidsdk

import org.euidsdk.internal.ErrorKind as NativeKind

/**
 * The stable kind of an [EuidException], finer than its class: the Rust core's kinds, shared with
 * the Python package and the test vectors, where [value] names it (`invalid_email`).
 */
enum class ErrorKind {
    INVALID_EMAIL,
    INVALID_PHONE,
    INVALID_EMAIL_HASH,
    INVALID_PHONE_HASH,
    INVALID_ARGUMENT,
    INVALID_IDENTITY,
    CONFIG,
    UNAUTHORIZED,
    CLIENT_ERROR,
    CLOCK_DRIFT,
    SERVER_ERROR,
    RATE_LIMITED,
    TIMEOUT,
    NETWORK,
    PROXY_UNREACHABLE,
    PROXY_AUTH_REQUIRED,
    PROXY_REFUSED,
    UNTRUSTED_CERTIFICATE,
    ENVELOPE_TOO_SHORT,
    BAD_BASE64,
    BAD_VERSION,
    DECRYPTION_FAILED,
    NONCE_MISMATCH,
    INVALID_JSON,
    UNEXPECTED_RESPONSE,
    RESPONSE_TOO_LARGE,
    STORE,
    CLOSED,
    INTERNAL,
    ;

    /** The core's snake_case name of this kind, as in the test vectors: `invalid_email`. */
    val value: String = name.lowercase()

    companion object {
        /** The kind named [value] (`invalid_email`), or null. */
        @JvmStatic
        fun fromValue(value: String): ErrorKind? = entries.firstOrNull { it.value == value }

        /** Exhaustive, so that a kind added to the core fails this build until it is here. */
        internal fun of(kind: NativeKind): ErrorKind = when (kind) {
            NativeKind.INVALID_EMAIL -> INVALID_EMAIL
            NativeKind.INVALID_PHONE -> INVALID_PHONE
            NativeKind.INVALID_EMAIL_HASH -> INVALID_EMAIL_HASH
            NativeKind.INVALID_PHONE_HASH -> INVALID_PHONE_HASH
            NativeKind.INVALID_ARGUMENT -> INVALID_ARGUMENT
            NativeKind.INVALID_IDENTITY -> INVALID_IDENTITY
            NativeKind.CONFIG -> CONFIG
            NativeKind.UNAUTHORIZED -> UNAUTHORIZED
            NativeKind.CLIENT_ERROR -> CLIENT_ERROR
            NativeKind.CLOCK_DRIFT -> CLOCK_DRIFT
            NativeKind.SERVER_ERROR -> SERVER_ERROR
            NativeKind.RATE_LIMITED -> RATE_LIMITED
            NativeKind.TIMEOUT -> TIMEOUT
            NativeKind.NETWORK -> NETWORK
            NativeKind.PROXY_UNREACHABLE -> PROXY_UNREACHABLE
            NativeKind.PROXY_AUTH_REQUIRED -> PROXY_AUTH_REQUIRED
            NativeKind.PROXY_REFUSED -> PROXY_REFUSED
            NativeKind.UNTRUSTED_CERTIFICATE -> UNTRUSTED_CERTIFICATE
            NativeKind.ENVELOPE_TOO_SHORT -> ENVELOPE_TOO_SHORT
            NativeKind.BAD_BASE64 -> BAD_BASE64
            NativeKind.BAD_VERSION -> BAD_VERSION
            NativeKind.DECRYPTION_FAILED -> DECRYPTION_FAILED
            NativeKind.NONCE_MISMATCH -> NONCE_MISMATCH
            NativeKind.INVALID_JSON -> INVALID_JSON
            NativeKind.UNEXPECTED_RESPONSE -> UNEXPECTED_RESPONSE
            NativeKind.RESPONSE_TOO_LARGE -> RESPONSE_TOO_LARGE
            NativeKind.STORE -> STORE
            NativeKind.CLOSED -> CLOSED
            NativeKind.INTERNAL -> INTERNAL
        }
    }
}
