package org.euidsdk

import com.sun.jna.Platform
import org.euidsdk.NativePlatform.Libc
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/** The jar folder picked for each platform's `os.name` and `os.arch`, and the C library. */
class NativePlatformTest {
    private fun dir(osName: String, osArch: String, libc: Libc = Libc.GLIBC) =
        NativePlatform.resourceDir(osName, osArch, libc)

    @Test
    fun `each shipped platform gets its own folder`() {
        assertEquals("linux-x86-64", dir("Linux", "amd64"))
        assertEquals("linux-aarch64", dir("Linux", "aarch64"))
        assertEquals("linux-musl-x86-64", dir("Linux", "amd64", Libc.MUSL))
        assertEquals("linux-musl-aarch64", dir("Linux", "aarch64", Libc.MUSL))
        assertEquals("darwin-x86-64", dir("Mac OS X", "x86_64"))
        assertEquals("darwin-aarch64", dir("Mac OS X", "aarch64"))
        for (windows in listOf("Windows 10", "Windows 11", "Windows Server 2022")) {
            assertEquals("win32-x86-64", dir(windows, "amd64"))
        }
    }

    @Test
    fun `platforms without a library in the jar get none`() {
        assertNull(dir("Linux", "ppc64le"))
        assertNull(dir("Linux", "riscv64", Libc.MUSL))
        assertNull(dir("Windows 11", "aarch64"))
        assertNull(dir("FreeBSD", "amd64"))
    }

    @Test
    fun `outside musl the folder is JNA's own resource prefix`() {
        // This JVM's own platform, as JNA names it (glibc here: musl is the only other libc).
        val here = dir(System.getProperty("os.name"), System.getProperty("os.arch"))
        assertEquals(Platform.RESOURCE_PREFIX, here)
    }

    @Test
    fun `musl is told by its dynamic loader in the process's mappings`() {
        val alpine = """
            55d0c1a00000-55d0c1a01000 r--p 00000000 00:2f 1049 /usr/lib/jvm/java-17-openjdk/bin/java
            7f3e2c600000-7f3e2c614000 r--p 00000000 00:2f 2231 /lib/ld-musl-x86_64.so.1
        """.trimIndent()
        val debian = """
            7f1a4c000000-7f1a4c028000 r--p 00000000 08:01 3932 /usr/lib/x86_64-linux-gnu/libc.so.6
            7f1a4c2d0000-7f1a4c2d1000 r--p 00000000 08:01 3929 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
            7f1a4c300000-7f1a4c301000 rw-p 00000000 00:00 0
        """.trimIndent()
        assertEquals(Libc.MUSL, NativePlatform.libcOf(alpine))
        assertEquals(Libc.GLIBC, NativePlatform.libcOf(debian))
        assertEquals(Libc.GLIBC, NativePlatform.libcOf(java.io.File("/proc/self/maps").readText()))
    }

    @Test
    fun `the library is found once, in this platform's folder`() {
        // Here the folder is on disk (target/classes), so the file itself, not a copy; a jar's
        // extraction is exercised by the consumer checks (scripts/test-consumers.sh).
        val path = NativePlatform.load()
        assertEquals(path, NativePlatform.load())
        assertEquals(java.io.File(path).name, System.mapLibraryName("euid_ffi"))
        assertEquals(Platform.RESOURCE_PREFIX, java.io.File(path).parentFile.name)
    }
}
