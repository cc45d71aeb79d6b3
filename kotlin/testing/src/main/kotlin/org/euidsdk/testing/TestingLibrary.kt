package org.euidsdk.testing

import com.sun.jna.Native
import com.sun.jna.Pointer

/**
 * The test kit's native library (`euid_testing`, inside this jar, apart from the SDK's own):
 * three C symbols that start and stop an emulator in this JVM (`testing/src/lib.rs` in the
 * repository). Its answers are JSON, as the control API's are.
 */
internal object TestingLibrary {
    init {
        Native.register(TestingLibrary::class.java, "euid_testing")
    }

    // Bound by JNA under their C names. The argument is ASCII: [Json.write] escapes the rest.
    @JvmStatic
    private external fun euid_testing_start(config: String): Pointer

    @JvmStatic
    private external fun euid_testing_stop(id: Long): Int

    @JvmStatic
    private external fun euid_testing_free(answer: Pointer)

    /** A started emulator: its id in the library, its URL and credentials. */
    class Started(val id: Long, val url: String, val apiKey: String, val clientSecret: String)

    /** Starts an emulator with [config] (the emulator's settings, by name). */
    fun start(config: Map<String, Any>): Started {
        val answer = euid_testing_start(Json.write(config))
        val json = try {
            Json.parse(answer.getString(0, "UTF-8")) as Map<*, *>
        } finally {
            euid_testing_free(answer)
        }
        (json["error"] as String?)?.let { message ->
            val kind = when (json["kind"]) {
                "config" -> EmulatorException.Kind.CONFIG
                "io" -> EmulatorException.Kind.IO
                else -> EmulatorException.Kind.INTERNAL
            }
            throw EmulatorException(kind, message)
        }
        return Started(
            (json["id"] as Number).toLong(), json["url"] as String, json["api_key"] as String,
            json["client_secret"] as String,
        )
    }

    /** Stops emulator [id]; its port is closed when this returns. */
    fun stop(id: Long) {
        if (euid_testing_stop(id) != 0) {
            throw EmulatorException(EmulatorException.Kind.INTERNAL, "the test kit runs no emulator $id")
        }
    }
}
