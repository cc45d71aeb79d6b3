package org.euidsdk

import org.euidsdk.internal.FfiConverterBoolean
import org.euidsdk.internal.FfiConverterByteArray
import org.euidsdk.internal.FfiConverterLong
import org.euidsdk.internal.FfiConverterOptionalString
import org.euidsdk.internal.FfiConverterString
import org.euidsdk.internal.FfiConverterTypeOpenedRequest
import org.euidsdk.internal.generateRequestJson as nativeGenerateRequestJson

/**
 * The v2 envelope and answer decoding, with every random or time-dependent value given.
 * These are the functions the shared test vectors run; applications use [PublisherClient].
 * Keys are standard base64.
 */
object Envelope {
    /** A decrypted request envelope, as the operator sees it. */
    class OpenedRequest(val timestampMs: Long, val nonce: ByteArray, val payload: ByteArray)

    /** The wire bytes of a request envelope. */
    @JvmStatic
    @Throws(EuidException::class)
    fun sealRequest(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray): ByteArray =
        Door.call(Op.ENVELOPE_SEAL_REQUEST, 0, sealArgs(key, payload, timestampMs, nonce, iv), FfiConverterByteArray::read)

    /**
     * Decodes and decrypts a request body (base64 text, or raw bytes if [binary]) as the
     * operator does, checking length, version and authentication in order.
     */
    @JvmStatic
    @Throws(EuidException::class)
    fun openRequest(key: String, body: ByteArray, binary: Boolean): OpenedRequest {
        val args = Args(
            FfiConverterString.sizeOf(key) + FfiConverterByteArray.sizeOf(body) + FfiConverterBoolean.sizeOf(binary),
        ) {
            FfiConverterString.write(key, it)
            FfiConverterByteArray.write(body, it)
            FfiConverterBoolean.write(binary, it)
        }
        val opened = Door.call(Op.ENVELOPE_OPEN_REQUEST, 0, args, FfiConverterTypeOpenedRequest::read)
        return OpenedRequest(opened.timestampMs, opened.nonce, opened.payload)
    }

    /** The bytes of a generate or validate response. */
    @JvmStatic
    @Throws(EuidException::class)
    fun sealResponse(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray): ByteArray =
        Door.call(Op.ENVELOPE_SEAL_RESPONSE, 0, sealArgs(key, payload, timestampMs, nonce, iv), FfiConverterByteArray::read)

    /** Decrypts a generate response body (base64 text, or raw bytes if [binary]). */
    @JvmStatic
    @Throws(EuidException::class)
    fun decryptGenerateResponse(key: String, body: ByteArray, nonce: ByteArray, binary: Boolean): GenerateResult {
        val args = Args(
            FfiConverterString.sizeOf(key) + FfiConverterByteArray.sizeOf(body) +
                FfiConverterBoolean.sizeOf(binary) + FfiConverterByteArray.sizeOf(nonce),
        ) {
            FfiConverterString.write(key, it)
            FfiConverterByteArray.write(body, it)
            FfiConverterBoolean.write(binary, it)
            FfiConverterByteArray.write(nonce, it)
        }
        return Door.call(Op.DECRYPT_GENERATE_RESPONSE, 0, args, GenerateResult::read)
    }

    /** Reads a refresh response: decrypted with [key], or plain JSON when it is null. */
    @JvmStatic
    @Throws(EuidException::class)
    fun decryptRefreshResponse(key: String?, body: ByteArray): RefreshResult {
        val args = Args(FfiConverterOptionalString.sizeOf(key) + FfiConverterByteArray.sizeOf(body)) {
            FfiConverterOptionalString.write(key, it)
            FfiConverterByteArray.write(body, it)
        }
        return Door.call(Op.DECRYPT_REFRESH_RESPONSE, 0, args, RefreshResult::read)
    }

    /** The JSON a generate request carries inside its envelope. */
    @JvmStatic
    @JvmOverloads
    @Throws(EuidException::class)
    fun generateRequestJson(dii: Dii, tcfConsentString: String? = null): String =
        native { nativeGenerateRequestJson(dii.input, tcfConsentString) }

    private fun sealArgs(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray) = Args(
        FfiConverterString.sizeOf(key) + FfiConverterByteArray.sizeOf(payload) + FfiConverterLong.sizeOf(timestampMs) +
            FfiConverterByteArray.sizeOf(nonce) + FfiConverterByteArray.sizeOf(iv),
    ) {
        FfiConverterString.write(key, it)
        FfiConverterByteArray.write(payload, it)
        FfiConverterLong.write(timestampMs, it)
        FfiConverterByteArray.write(nonce, it)
        FfiConverterByteArray.write(iv, it)
    }
}
