@file:JvmName("Euid")

package org.euidsdk

import org.euidsdk.internal.integrationUrl
import org.euidsdk.internal.productionUrl
import org.euidsdk.internal.hashEmail as nativeHashEmail
import org.euidsdk.internal.hashEmails as nativeHashEmails
import org.euidsdk.internal.hashPhone as nativeHashPhone
import org.euidsdk.internal.normalizeEmail as nativeNormalizeEmail
import org.euidsdk.internal.normalizeEmailHash as nativeNormalizeEmailHash
import org.euidsdk.internal.normalizePhone as nativeNormalizePhone
import org.euidsdk.internal.normalizePhoneHash as nativeNormalizePhoneHash

/** The EUID integration environment: `https://integ.euid.eu`. */
@JvmField
val INTEGRATION_URL: String = integrationUrl()

/** The EUID production environment: `https://prod.euid.eu`. */
@JvmField
val PRODUCTION_URL: String = productionUrl()

/**
 * Normalizes an email address as the EUID operator does.
 *
 * @throws InvalidInputException the operator would reject it.
 */
@Throws(EuidException::class)
fun normalizeEmail(email: String): String = native { nativeNormalizeEmail(email) }

/**
 * Normalizes and hashes an email: base64 SHA-256, the `email_hash` value.
 *
 * @throws InvalidInputException the operator would reject it.
 */
@Throws(EuidException::class)
fun hashEmail(email: String): String = native { nativeHashEmail(email) }

/**
 * Normalizes and hashes many emails in one call, in order.
 *
 * @throws InvalidInputException an address is invalid (the message gives its index).
 */
@Throws(EuidException::class)
fun hashEmails(emails: List<String>): List<String> =
    nativeHashEmails(emails).mapIndexed { index, hash ->
        hash ?: throw InvalidInputException(
            "invalid_email", "the email at index $index is not a valid email address",
        )
    }

/** Normalizes and hashes many emails; null where an address is invalid. */
fun hashEmailsOrNull(emails: List<String>): List<String?> = nativeHashEmails(emails)

/**
 * Checks that a phone number is normalized: `+` then 10 to 15 ASCII digits.
 *
 * @throws InvalidInputException anything else.
 */
@Throws(EuidException::class)
fun normalizePhone(phone: String): String = native { nativeNormalizePhone(phone) }

/**
 * Validates and hashes a phone number: the `phone_hash` value.
 *
 * @throws InvalidInputException the number is not normalized.
 */
@Throws(EuidException::class)
fun hashPhone(phone: String): String = native { nativeHashPhone(phone) }

/**
 * Accepts an email hash as 44-character base64 or 64-character hex; returns base64.
 *
 * @throws InvalidInputException it is not a SHA-256 digest.
 */
@Throws(EuidException::class)
fun normalizeEmailHash(hash: String): String = native { nativeNormalizeEmailHash(hash) }

/**
 * Accepts a phone hash as 44-character base64 or 64-character hex; returns base64.
 *
 * @throws InvalidInputException it is not a SHA-256 digest.
 */
@Throws(EuidException::class)
fun normalizePhoneHash(hash: String): String = native { nativeNormalizePhoneHash(hash) }
