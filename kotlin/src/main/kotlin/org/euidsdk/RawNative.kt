package org.euidsdk

import com.sun.jna.Native

/**
 * The native library's plain C entry points (bindings/src/raw.rs), bound with JNA direct
 * mapping: for calls made once per item, where a UniFFI call's buffers and structures cost far
 * more than the work (about 45 µs against 1.4 µs for one email hash).
 */
internal object RawNative {
    /** Length of a base64 SHA-256 hash. */
    const val HASH_LEN = 44

    @JvmStatic
    external fun euid_hash_email_raw(email: ByteArray, len: Long, out: ByteArray): Int

    init {
        // The library UniFFI loads (same name, same override property), so JNA shares it.
        val name = System.getProperty("uniffi.component.euid.libraryOverride") ?: "euid_ffi"
        Native.register(RawNative::class.java, name)
    }

    /** The email's hash, or null when it is invalid (the UniFFI call then gives the error). */
    fun hashEmail(email: String): String? {
        val bytes = email.toByteArray(Charsets.UTF_8)
        val out = ByteArray(HASH_LEN)
        return if (euid_hash_email_raw(bytes, bytes.size.toLong(), out) == 0) {
            String(out, Charsets.US_ASCII)
        } else {
            null
        }
    }
}
