package org.euidsdk

import org.euidsdk.internal.FfiConverterBoolean
import org.euidsdk.internal.FfiConverterByteArray
import org.euidsdk.internal.FfiConverterLong
import org.euidsdk.internal.FfiConverterOptionalString
import org.euidsdk.internal.FfiConverterString
import org.euidsdk.internal.FfiConverterTypeGenerateOutcome
import org.euidsdk.internal.FfiConverterTypeOpenedRequest
import org.euidsdk.internal.FfiConverterTypeRefreshOutcome
import org.euidsdk.internal.generateRequestJson as nativeGenerateRequestJson

/**
 * The v2 envelope and answer decoding, with every random or time-dependent value given.
 * These are the functions the shared test vectors run; applications use [PublisherClient].
 * Keys are standard base64. Calls go through the library's plain entry points ([RawNative]).
 */
object Envelope {
    /** A decrypted request envelope, as the operator sees it. */
    class OpenedRequest(val timestampMs: Long, val nonce: ByteArray, val payload: ByteArray)

    /** The wire bytes of a request envelope. */
    @JvmStatic
    @Throws(EuidException::class)
    fun sealRequest(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray): ByteArray =
        native { RawNative.call(sealArgs(key, payload, timestampMs, nonce, iv), RawNative::euid_envelope_seal_request_raw, FfiConverterByteArray::read) }

    /**
     * Decodes and decrypts a request body (base64 text, or raw bytes if [binary]) as the
     * operator does, checking length, version and authentication in order.
     */
    @JvmStatic
    @Throws(EuidException::class)
    fun openRequest(key: String, body: ByteArray, binary: Boolean): OpenedRequest {
        val args = rawArgs(RawArg(FfiConverterString, key), RawArg(FfiConverterByteArray, body), RawArg(FfiConverterBoolean, binary))
        val opened = native { RawNative.call(args, RawNative::euid_envelope_open_request_raw, FfiConverterTypeOpenedRequest::read) }
        return OpenedRequest(opened.timestampMs, opened.nonce, opened.payload)
    }

    /** The bytes of a generate or validate response. */
    @JvmStatic
    @Throws(EuidException::class)
    fun sealResponse(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray): ByteArray =
        native { RawNative.call(sealArgs(key, payload, timestampMs, nonce, iv), RawNative::euid_envelope_seal_response_raw, FfiConverterByteArray::read) }

    /** Decrypts a generate response body (base64 text, or raw bytes if [binary]). */
    @JvmStatic
    @Throws(EuidException::class)
    fun decryptGenerateResponse(key: String, body: ByteArray, nonce: ByteArray, binary: Boolean): GenerateResult {
        val args = rawArgs(
            RawArg(FfiConverterString, key),
            RawArg(FfiConverterByteArray, body),
            RawArg(FfiConverterBoolean, binary),
            RawArg(FfiConverterByteArray, nonce),
        )
        return GenerateResult.of(
            native { RawNative.call(args, RawNative::euid_decrypt_generate_response_raw, FfiConverterTypeGenerateOutcome::read) },
        )
    }

    /** Reads a refresh response: decrypted with [key], or plain JSON when it is null. */
    @JvmStatic
    @Throws(EuidException::class)
    fun decryptRefreshResponse(key: String?, body: ByteArray): RefreshResult {
        val args = rawArgs(RawArg(FfiConverterOptionalString, key), RawArg(FfiConverterByteArray, body))
        return RefreshResult.of(
            native { RawNative.call(args, RawNative::euid_decrypt_refresh_response_raw, FfiConverterTypeRefreshOutcome::read) },
        )
    }

    /** The JSON a generate request carries inside its envelope. */
    @JvmStatic
    @JvmOverloads
    @Throws(EuidException::class)
    fun generateRequestJson(dii: Dii, tcfConsentString: String? = null): String =
        native { nativeGenerateRequestJson(dii.input, tcfConsentString) }

    private fun sealArgs(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray) = rawArgs(
        RawArg(FfiConverterString, key),
        RawArg(FfiConverterByteArray, payload),
        RawArg(FfiConverterLong, timestampMs),
        RawArg(FfiConverterByteArray, nonce),
        RawArg(FfiConverterByteArray, iv),
    )
}
