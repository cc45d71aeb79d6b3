package org.euidsdk

import java.io.File

/**
 * A private CA made by `tests/tls/make-ca.sh` (openssl) in [directory], and the emulator's
 * certificate it signed, valid for 127.0.0.1, localhost, operator.euid.test and blocked.euid.test.
 */
class Pki(directory: File) {
    val ca = File(directory, "ca.pem")
    val cert = File(directory, "server.pem")
    val key = File(directory, "server.key")

    init {
        val process = ProcessBuilder(File(Squid.repo, "tests/tls/make-ca.sh").path, directory.path).inheritIO().start()
        check(process.waitFor() == 0) { "tests/tls/make-ca.sh failed" }
    }

    /** The CA certificate, PEM. */
    val caPem: String get() = ca.readText()

    /** Starts an HTTPS emulator presenting the CA-signed certificate. */
    fun emulator(): Emulator = Emulator.start(extraArgs = listOf("--tls-cert", cert.path, "--tls-key", key.path))
}
