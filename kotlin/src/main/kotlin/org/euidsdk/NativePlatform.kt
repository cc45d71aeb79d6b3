package org.euidsdk

import com.sun.jna.Native
import java.io.File
import java.io.IOException

/**
 * The one copy of the native library in this JVM.
 *
 * The library is reached two ways: the generated bindings bind it through JNA, and [Door]'s
 * `external` functions through JNI (`System.load`). Both must reach the same loaded file, or an
 * object made by one would be unknown to the other. So neither resolves the library by itself:
 * the build points the generated bindings' loader at [load] (kotlin/pom.xml, `bindings-loader`),
 * and [Door] calls it too. [load] finds the file once, loads it for JNI and returns its path,
 * which JNA then opens: the same file, so the same loaded library.
 *
 * The file is the `uniffi.component.euid.libraryOverride` system property when it is set (a
 * path), else this platform's library in the jar (JNA's folders: `linux-x86-64/`,
 * `darwin-aarch64/`, `win32-x86-64/`...), extracted to a temporary file when the jar is not
 * unpacked on disk.
 */
internal object NativePlatform {
    /** The C library of a Linux process. */
    enum class Libc { GLIBC, MUSL }

    private const val OVERRIDE = "uniffi.component.euid.libraryOverride"
    private const val LIBRARY = "euid_ffi"

    private val path: String by lazy {
        val file = locate()
        System.load(file.absolutePath)
        file.absolutePath
    }

    /**
     * Loads the library into this JVM, once, and returns the path of its file.
     *
     * @throws UnsatisfiedLinkError the jar has no library for this platform, or it cannot be
     *   loaded.
     */
    fun load(): String = path

    /**
     * The jar folder of the library for [osName] and [osArch] (the JVM's `os.name` and
     * `os.arch`), with [libc] on Linux; null for a platform the jar has no library for.
     */
    fun resourceDir(osName: String, osArch: String, libc: Libc): String? {
        val arch = when (osArch.lowercase()) {
            "x86_64", "amd64" -> "x86-64"
            "aarch64", "arm64" -> "aarch64"
            else -> return null
        }
        return when {
            osName == "Linux" && libc == Libc.MUSL -> "linux-musl-$arch"
            osName == "Linux" -> "linux-$arch"
            osName == "Mac OS X" || osName.startsWith("Darwin") -> "darwin-$arch"
            osName.startsWith("Windows") && arch == "x86-64" -> "win32-$arch"
            else -> null
        }
    }

    /** musl when the process has musl's dynamic loader mapped, given `/proc/self/maps`. */
    fun libcOf(maps: String): Libc =
        if (maps.lineSequence().any { File(it.substringAfterLast(' ')).name.startsWith("ld-musl-") }) {
            Libc.MUSL
        } else {
            Libc.GLIBC
        }

    private fun locate(): File {
        System.getProperty(OVERRIDE)?.let { override ->
            val file = File(override)
            if (!file.isFile) {
                throw UnsatisfiedLinkError("$OVERRIDE is set to '$override', which is not a file: set it to the library's path")
            }
            return file
        }
        val osName = System.getProperty("os.name")
        val osArch = System.getProperty("os.arch")
        val maps = File("/proc/self/maps")
        val libc = if (osName == "Linux" && maps.canRead()) libcOf(maps.readText()) else Libc.GLIBC
        val libcName = if (osName == "Linux") " (${libc.name.lowercase()})" else ""
        val dir = resourceDir(osName, osArch, libc)
            ?: throw UnsatisfiedLinkError("org.euidsdk:euid-sdk has no native library for $osName $osArch$libcName")
        val resource = "/$dir/${System.mapLibraryName(LIBRARY)}"
        if (NativePlatform::class.java.getResource(resource) == null) {
            throw UnsatisfiedLinkError("this org.euidsdk:euid-sdk jar lacks $resource, the library for $osName $osArch$libcName")
        }
        return try {
            Native.extractFromResourcePath(resource, NativePlatform::class.java.classLoader)
        } catch (err: IOException) {
            throw UnsatisfiedLinkError("cannot extract $resource from the org.euidsdk:euid-sdk jar: ${err.message}")
        }
    }
}
