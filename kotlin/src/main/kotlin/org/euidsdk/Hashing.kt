@file:JvmName("Euid")

package org.euidsdk

import java.nio.ByteBuffer
import java.util.logging.Level
import org.euidsdk.internal.FfiConverterString
import org.euidsdk.internal.integrationUrl
import org.euidsdk.internal.productionUrl

/** The EUID integration environment: `https://integ.euid.eu`. */
@JvmField
val INTEGRATION_URL: String = integrationUrl()

/** The EUID production environment: `https://prod.euid.eu`. */
@JvmField
val PRODUCTION_URL: String = productionUrl()

/** The name of the SDK's `java.util.logging` logger: `org.euidsdk`. */
const val LOGGER_NAME: String = "org.euidsdk"

/**
 * Sets the level of the SDK's `java.util.logging` logger ([LOGGER_NAME], `org.euidsdk`) and has
 * the native library forward its records from that level on. From Java,
 * `Euid.setLogLevel(Level.FINE)` shows each request (`POST /v2/token/refresh -> HTTP 200 in 3 ms`)
 * and each outcome; null makes the logger inherit its parent's level again (the root logger's
 * `INFO` by default). A handler must let the level through too: the JDK's default
 * `ConsoleHandler` stops at `INFO`.
 *
 * Levels map as ERROR -> `SEVERE`, WARN -> `WARNING` (a refresh failed), INFO -> `INFO` (a
 * retry), DEBUG -> `FINE` (requests and outcomes), TRACE -> `FINEST`. Each record's source class
 * is the Rust module that logged it (`euid_core::client`). No record contains a key, token,
 * email or response body.
 *
 * The SDK logs through `java.util.logging` rather than SLF4J: it is in every JDK, so the SDK
 * needs no extra dependency and imposes no SLF4J version or binding on the application, while the
 * application keeps its own logging. Spring Boot routes `java.util.logging` into Logback by
 * itself and copies Logback's levels onto it (`logging.level.org.euidsdk=DEBUG`); elsewhere
 * `org.slf4j:jul-to-slf4j` (`SLF4JBridgeHandler.install()`) does the routing, and Logback's
 * `LevelChangePropagator` keeps the JUL levels in step with Logback's.
 *
 * The native library forwards only what the logger accepted when the SDK last looked at its
 * level, so a disabled level costs no call across the FFI: it looks when a [PublisherClient] or
 * an [IdentityManager] is created, when the `java.util.logging` configuration is re-read, and
 * here. After changing the level another way (`Logger.setLevel`), call this function or create
 * the client afterwards.
 *
 * @param level the logger's new level, or null to inherit its parent's.
 */
fun setLogLevel(level: Level?) = LogBridge.setLevel(level)

/**
 * Normalizes an email address as the EUID operator does.
 *
 * @throws InvalidInputException the operator would reject it.
 */
@Throws(EuidException::class)
fun normalizeEmail(email: String): String = stringOp(Op.NORMALIZE_EMAIL, email)

/**
 * Normalizes and hashes an email: base64 SHA-256, the `email_hash` value.
 *
 * @throws InvalidInputException the operator would reject it.
 */
@Throws(EuidException::class)
fun hashEmail(email: String): String = stringOp(Op.HASH_EMAIL, email)

/**
 * Normalizes and hashes many emails in one call, in order.
 *
 * @throws InvalidInputException an address is invalid (the message gives its index).
 */
@Throws(EuidException::class)
fun hashEmails(emails: List<String>): List<String> =
    hashEmailsOrNull(emails).mapIndexed { index, hash ->
        hash ?: throw InvalidInputException(
            ErrorKind.INVALID_EMAIL, "the email at index $index is not a valid email address",
        )
    }

/** Normalizes and hashes many emails in one call; null where an address is invalid. */
fun hashEmailsOrNull(emails: List<String>): List<String?> {
    if (emails.isEmpty()) return emptyList()
    val encoded = emails.map { it.toByteArray(Charsets.UTF_8) }
    // The door's batch: the count, each address's length, then every address's bytes (all
    // big-endian), inside a `Vec<u8>` (its length first).
    val batchLen = 4 + 4 * encoded.size + encoded.sumOf { it.size }
    val args = Args(4 + batchLen) { buf ->
        buf.putInt(batchLen).putInt(encoded.size)
        for (bytes in encoded) buf.putInt(bytes.size)
        for (bytes in encoded) buf.put(bytes)
    }
    return Door.call(Op.HASH_EMAILS, 0, args) { readHashLines(it, encoded.size) }
}

/** The answer of `hash_emails`: a `Vec<u8>` of one line per address, empty where it is invalid. */
private fun readHashLines(buf: ByteBuffer, count: Int): List<String?> {
    val end = buf.getInt() + buf.position()
    val hashes = ArrayList<String?>(count)
    var start = buf.position()
    for (at in start..end) {
        if (at == end || buf.get(at) == '\n'.code.toByte()) {
            hashes.add(if (at == start) null else asciiAt(buf, start, at - start))
            start = at + 1
        }
    }
    buf.position(end)
    return hashes
}

private fun asciiAt(buf: ByteBuffer, at: Int, len: Int): String {
    val bytes = ByteArray(len)
    buf.get(at, bytes)
    return String(bytes, Charsets.US_ASCII)
}

/** A free door operation from one string to one string. */
private fun stringOp(op: Op, value: String): String =
    Door.call(op, 0, Args(FfiConverterString.sizeOf(value)) { FfiConverterString.write(value, it) }, FfiConverterString::read)

/**
 * Checks that a phone number is normalized: `+` then 10 to 15 ASCII digits.
 *
 * @throws InvalidInputException anything else.
 */
@Throws(EuidException::class)
fun normalizePhone(phone: String): String = stringOp(Op.NORMALIZE_PHONE, phone)

/**
 * Validates and hashes a phone number: the `phone_hash` value.
 *
 * @throws InvalidInputException the number is not normalized.
 */
@Throws(EuidException::class)
fun hashPhone(phone: String): String = stringOp(Op.HASH_PHONE, phone)

/**
 * Accepts an email hash as 44-character base64 or 64-character hex; returns base64.
 *
 * @throws InvalidInputException it is not a SHA-256 digest.
 */
@Throws(EuidException::class)
fun normalizeEmailHash(hash: String): String = stringOp(Op.NORMALIZE_EMAIL_HASH, hash)

/**
 * Accepts a phone hash as 44-character base64 or 64-character hex; returns base64.
 *
 * @throws InvalidInputException it is not a SHA-256 digest.
 */
@Throws(EuidException::class)
fun normalizePhoneHash(hash: String): String = stringOp(Op.NORMALIZE_PHONE_HASH, hash)
