package org.euidsdk

import java.io.File
import java.net.ServerSocket
import java.util.concurrent.TimeUnit

/**
 * The test proxy: Debian's squid on loopback, run by `tests/proxy/squid.sh` (as the Rust and
 * Python suites run it). [openPort] needs no credentials, [authPort] needs [USER]:[PASSWORD]; only
 * squid resolves `operator.euid.test` and `blocked.euid.test` (to 127.0.0.1), and it refuses
 * tunnels to the latter. [close] closes its standard input, which stops it.
 */
class Squid private constructor(
    private val process: Process,
    val openPort: Int,
    val authPort: Int,
    private val log: File,
) : AutoCloseable {
    /** `http://127.0.0.1:<open port>`. */
    val openUrl: String get() = "http://127.0.0.1:$openPort"

    /** `http://<user>:<password>@127.0.0.1:<auth port>`. */
    fun authUrl(user: String, password: String) = "http://$user:$password@127.0.0.1:$authPort"

    /**
     * The access log's lines containing every one of [needles], waiting up to 5 s for [count] of
     * them (squid logs a tunnel when it closes).
     */
    fun linesWith(vararg needles: String, count: Int = 1): List<String> {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5)
        while (true) {
            val lines = (if (log.exists()) log.readLines() else emptyList())
                .filter { line -> needles.all { it in line } }
            if (lines.size >= count || System.nanoTime() > deadline) return lines
            Thread.sleep(50)
        }
    }

    override fun close() {
        process.outputStream.close()
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor()
        }
    }

    companion object {
        const val USER = "euid"
        const val PASSWORD = "proxy-pass-7f3a"

        /** The repository's root (the system property `repo.root`). */
        val repo: File get() = File(System.getProperty("repo.root") ?: error("the system property repo.root is not set"))

        fun freePort(): Int = ServerSocket(0).use { it.localPort }

        /** Starts squid; fails (never skips) when it is missing or does not start. */
        fun start(): Squid {
            val (open, auth) = freePort() to freePort()
            val script = File(repo, "tests/proxy/squid.sh")
            val process = ProcessBuilder(script.path, "$open", "$auth", USER, PASSWORD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
            val ready = process.inputStream.bufferedReader().readLine()?.split(" ")
            if (ready == null || ready.size != 2 || ready[0] != "ready") {
                process.destroyForcibly()
                error("squid did not start ($script printed why)")
            }
            return Squid(process, open, auth, File(ready[1]))
        }
    }
}
