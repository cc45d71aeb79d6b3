package org.euidsdk

import org.euidsdk.internal.DiiInput
import org.euidsdk.internal.DiiType

/**
 * The user identifier a token is generated from. [email] and [phone] are normalized and
 * hashed inside the SDK: only the hash is sent, unless [rawEmail] or [rawPhone] ask otherwise.
 * Invalid values are reported by the call that uses them ([InvalidInputException]).
 * [toString] never shows the value.
 */
class Dii private constructor(internal val input: DiiInput) {
    override fun toString(): String = "Dii(${input.diiType})"

    override fun equals(other: Any?): Boolean = other is Dii && other.input == input

    override fun hashCode(): Int = input.hashCode()

    companion object {
        /** An email address, hashed locally and sent as `email_hash`. */
        @JvmStatic
        fun email(email: String) = Dii(DiiInput(DiiType.EMAIL, email))

        /** A phone number (`+` and 10 to 15 digits), hashed locally and sent as `phone_hash`. */
        @JvmStatic
        fun phone(phone: String) = Dii(DiiInput(DiiType.PHONE, phone))

        /** A SHA-256 email hash, 44-character base64 or 64-character hex. */
        @JvmStatic
        fun emailHash(hash: String) = Dii(DiiInput(DiiType.EMAIL_HASH, hash))

        /** A SHA-256 phone hash, 44-character base64 or 64-character hex. */
        @JvmStatic
        fun phoneHash(hash: String) = Dii(DiiInput(DiiType.PHONE_HASH, hash))

        /** An email address sent normalized but unhashed (`email`). Prefer [email]. */
        @JvmStatic
        fun rawEmail(email: String) = Dii(DiiInput(DiiType.RAW_EMAIL, email))

        /** A phone number sent unhashed (`phone`). Prefer [phone]. */
        @JvmStatic
        fun rawPhone(phone: String) = Dii(DiiInput(DiiType.RAW_PHONE, phone))
    }
}
