package org.euidsdk

import org.euidsdk.internal.decryptGenerateResponse as nativeDecryptGenerateResponse
import org.euidsdk.internal.decryptRefreshResponse as nativeDecryptRefreshResponse
import org.euidsdk.internal.envelopeOpenRequest as nativeEnvelopeOpenRequest
import org.euidsdk.internal.envelopeSealRequest as nativeEnvelopeSealRequest
import org.euidsdk.internal.envelopeSealResponse as nativeEnvelopeSealResponse
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
        native { nativeEnvelopeSealRequest(key, payload, timestampMs, nonce, iv) }

    /**
     * Decodes and decrypts a request body (base64 text, or raw bytes if [binary]) as the
     * operator does, checking length, version and authentication in order.
     */
    @JvmStatic
    @Throws(EuidException::class)
    fun openRequest(key: String, body: ByteArray, binary: Boolean): OpenedRequest =
        native { nativeEnvelopeOpenRequest(key, body, binary) }.let { OpenedRequest(it.timestampMs, it.nonce, it.payload) }

    /** The bytes of a generate or validate response. */
    @JvmStatic
    @Throws(EuidException::class)
    fun sealResponse(key: String, payload: ByteArray, timestampMs: Long, nonce: ByteArray, iv: ByteArray): ByteArray =
        native { nativeEnvelopeSealResponse(key, payload, timestampMs, nonce, iv) }

    /** Decrypts a generate response body (base64 text, or raw bytes if [binary]). */
    @JvmStatic
    @Throws(EuidException::class)
    fun decryptGenerateResponse(key: String, body: ByteArray, nonce: ByteArray, binary: Boolean): GenerateResult =
        GenerateResult.of(native { nativeDecryptGenerateResponse(key, body, binary, nonce) })

    /** Reads a refresh response: decrypted with [key], or plain JSON when it is null. */
    @JvmStatic
    @Throws(EuidException::class)
    fun decryptRefreshResponse(key: String?, body: ByteArray): RefreshResult =
        RefreshResult.of(native { nativeDecryptRefreshResponse(key, body) })

    /** The JSON a generate request carries inside its envelope. */
    @JvmStatic
    @JvmOverloads
    @Throws(EuidException::class)
    fun generateRequestJson(dii: Dii, tcfConsentString: String? = null): String =
        native { nativeGenerateRequestJson(dii.input, tcfConsentString) }
}
