package org.euidsdk

import java.io.File
import java.net.InetSocketAddress
import java.net.Proxy
import java.net.ProxySelector
import java.net.SocketAddress
import java.net.URI
import java.nio.file.Files
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/**
 * The client in the networks publishers run, against a real squid on loopback and an HTTPS
 * emulator whose certificate a private CA signed: an explicit proxy, the JVM's proxy
 * configuration (system properties, `ProxySelector.setDefault`), the environment's (in a JVM of
 * its own), credentials right and wrong, a refused tunnel, the proxy down, and trust through the
 * PEM option or `-Djavax.net.ssl.trustStore`. Only squid resolves `operator.euid.test`, so a
 * success there went through it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkTest {
    private lateinit var squid: Squid
    private lateinit var dir: File
    private lateinit var pki: Pki

    @BeforeAll
    fun start() {
        squid = Squid.start()
        dir = Files.createTempDirectory("euid-network").toFile()
        pki = Pki(dir)
    }

    @AfterAll
    fun stop() {
        squid.close()
        dir.deleteRecursively()
    }

    private fun url(emulator: Emulator, host: String) = "https://$host:${URI(emulator.url).port}"

    private fun client(emulator: Emulator, host: String, proxy: ProxyConfig = ProxyConfig.SYSTEM, pem: String? = pki.caPem) =
        PublisherClient(
            url(emulator, host), emulator.apiKey, emulator.clientSecret,
            deadline = Duration.ofSeconds(5), proxy = proxy, caCertificatesPem = pem,
        )

    private fun generateAndRefresh(client: PublisherClient) = client.use {
        val generated = runBlocking { it.generateToken(Dii.email("jane.doe@example.com")) }
        assertInstanceOf(GenerateResult.Success::class.java, generated)
        val refreshed = it.refreshTokenBlocking((generated as GenerateResult.Success).identity)
        assertInstanceOf(RefreshResult.Success::class.java, refreshed)
    }

    private fun generateError(client: PublisherClient): EuidException = client.use {
        assertThrows<EuidException> { it.generateTokenBlocking(Dii.email("jane.doe@example.com")) }
    }

    private fun tunnels(emulator: Emulator, status: String = "TCP_TUNNEL/200", user: String = "") =
        squid.linesWith("$status ", " CONNECT operator.euid.test:${URI(emulator.url).port} $user")

    @Test
    fun anExplicitProxyTunnelsGenerateAndRefresh() = pki.emulator().use { emulator ->
        generateAndRefresh(client(emulator, "operator.euid.test", ProxyConfig.url(squid.openUrl)))
        assertEquals(1, tunnels(emulator).size)
    }

    @Test
    fun theProxyUrlsCredentialsAreSentAndNeverShown() = pki.emulator().use { emulator ->
        val proxy = ProxyConfig.url(squid.authUrl(Squid.USER, Squid.PASSWORD))
        assertFalse(Squid.PASSWORD in proxy.toString())
        generateAndRefresh(client(emulator, "operator.euid.test", proxy))
        assertEquals(1, tunnels(emulator, user = "${Squid.USER} ").size)
    }

    @Test
    fun a407IsAProxyExceptionWithoutThePassword() = pki.emulator().use { emulator ->
        val cases = listOf(squid.authUrl(Squid.USER, "wrong-pass-91c2") to true, "http://127.0.0.1:${squid.authPort}" to false)
        for ((proxy, sent) in cases) {
            val err = generateError(client(emulator, "operator.euid.test", ProxyConfig.url(proxy)))
            assertInstanceOf(ProxyException::class.java, err)
            assertEquals(ErrorKind.PROXY_AUTH_REQUIRED, err.kind)
            assertEquals(407, err.httpStatus)
            assertFalse(err.isRetryable)
            assertTrue("127.0.0.1:${squid.authPort}" in err.detail, err.detail)
            assertEquals(sent, "rejected the credentials" in err.detail, err.detail)
            assertFalse("wrong-pass" in err.toString() || "wrong-pass" in err.stackTraceToString())
        }
        // One CONNECT per call: a 407 is not retried.
        Thread.sleep(300)
        assertEquals(2, squid.linesWith("TCP_DENIED/407 ", " CONNECT operator.euid.test:${URI(emulator.url).port} ", count = 2).size)
    }

    @Test
    fun aRefusedTunnelIsAProxyException() = pki.emulator().use { emulator ->
        val err = generateError(client(emulator, "blocked.euid.test", ProxyConfig.url(squid.openUrl)))
        assertInstanceOf(ProxyException::class.java, err)
        assertEquals(ErrorKind.PROXY_REFUSED, err.kind)
        assertFalse(err.isRetryable)
        assertTrue("blocked.euid.test:${URI(emulator.url).port}" in err.detail, err.detail)
    }

    @Test
    fun aProxyThatIsDownIsRetriedThenReportedWithinTheDeadline() = pki.emulator().use { emulator ->
        val down = "http://127.0.0.1:${Squid.freePort()}"
        val started = System.nanoTime()
        val err = generateError(client(emulator, "operator.euid.test", ProxyConfig.url(down)))
        assertTrue(Duration.ofNanos(System.nanoTime() - started) < Duration.ofSeconds(5))
        assertInstanceOf(ProxyException::class.java, err)
        assertEquals(ErrorKind.PROXY_UNREACHABLE, err.kind)
        assertTrue(err.isRetryable)
        assertTrue(err.detail.startsWith("proxy error: cannot reach the proxy $down"), err.detail)
    }

    @Test
    fun aProxyUrlThatCannotWorkIsAConfigException() = pki.emulator().use { emulator ->
        for (bad in listOf("socks5://user:secret-9d@127.0.0.1:1080", "https://user:secret-9d@127.0.0.1:3128")) {
            val err = assertThrows<ConfigException> { client(emulator, "localhost", ProxyConfig.url(bad)) }
            assertFalse("secret-9d" in err.toString())
        }
    }

    @Test
    fun thePrivateCaIsRefusedUntilItsPemIsGiven() = pki.emulator().use { emulator ->
        val err = generateError(client(emulator, "localhost", pem = null))
        assertInstanceOf(UntrustedCertificateException::class.java, err)
        assertInstanceOf(NetworkException::class.java, err)
        assertEquals(ErrorKind.UNTRUSTED_CERTIFICATE, err.kind)
        assertFalse(err.isRetryable)
        assertTrue("does not trust" in err.detail, err.detail)
        generateAndRefresh(client(emulator, "localhost"))
        val bad = assertThrows<ConfigException> { client(emulator, "localhost", pem = "not a certificate") }
        assertEquals(ErrorKind.CONFIG, bad.kind)
    }

    /** Runs [block] with the system properties [properties], restored after. */
    private fun <T> withProperties(vararg properties: Pair<String, String>, block: () -> T): T {
        val saved = properties.associate { (name, _) -> name to System.getProperty(name) }
        properties.forEach { (name, value) -> System.setProperty(name, value) }
        try {
            return block()
        } finally {
            saved.forEach { (name, value) -> if (value == null) System.clearProperty(name) else System.setProperty(name, value) }
        }
    }

    @Test
    fun theJvmsProxyPropertiesSelectTheProxyWithNoSdkOption() = pki.emulator().use { emulator ->
        val properties = arrayOf("https.proxyHost" to "127.0.0.1", "https.proxyPort" to "${squid.openPort}")
        withProperties(*properties) { generateAndRefresh(client(emulator, "operator.euid.test")) }
        assertEquals(1, tunnels(emulator).size)

        // http.nonProxyHosts, and DIRECT, go straight to a name only the proxy resolves.
        val direct = listOf(
            withProperties(*properties, "http.nonProxyHosts" to "*.euid.test") { client(emulator, "operator.euid.test") },
            withProperties(*properties) { client(emulator, "operator.euid.test", ProxyConfig.DIRECT) },
        )
        for (client in direct) {
            val err = generateError(client)
            assertEquals(ErrorKind.NETWORK, err.kind, err.detail)
            assertTrue("dns error" in err.detail, err.detail)
        }
        assertEquals(1, tunnels(emulator).size)
    }

    @Test
    fun theJvmsDefaultProxySelectorIsFollowed() = pki.emulator().use { emulator ->
        val selected = mutableListOf<URI>()
        val selector = object : ProxySelector() {
            override fun select(uri: URI): List<Proxy> {
                selected += uri
                return listOf(Proxy(Proxy.Type.HTTP, InetSocketAddress("127.0.0.1", squid.openPort)))
            }

            override fun connectFailed(uri: URI, address: SocketAddress, err: java.io.IOException) = Unit
        }
        val saved = ProxySelector.getDefault()
        ProxySelector.setDefault(selector)
        val client = try {
            client(emulator, "operator.euid.test")
        } finally {
            ProxySelector.setDefault(saved)
        }
        generateAndRefresh(client)
        assertEquals(listOf(URI(url(emulator, "operator.euid.test"))), selected)
        assertEquals(1, tunnels(emulator).size)
    }

    @Test
    fun theEnvironmentsProxyIsUsedAndNoProxyBypassesIt() = pki.emulator().use { emulator ->
        val base = url(emulator, "operator.euid.test")
        val trust = listOf("-Djavax.net.ssl.trustStore=${trustStore()}", "-Djavax.net.ssl.trustStorePassword=changeit")
        for (name in listOf("HTTPS_PROXY", "https_proxy", "ALL_PROXY")) {
            assertEquals("ok", NetworkProbe.run(emulator, base, mapOf(name to squid.openUrl), trust), name)
        }
        assertEquals(3, squid.linesWith("TCP_TUNNEL/200 ", " CONNECT operator.euid.test:${URI(emulator.url).port} ", count = 3).size)

        val bypassed = NetworkProbe.run(emulator, base, mapOf("HTTPS_PROXY" to squid.openUrl, "NO_PROXY" to ".euid.test"), trust)
        assertTrue(bypassed.startsWith("error NETWORK ") && "dns error" in bypassed, bypassed)
        assertEquals(3, tunnels(emulator).size)
    }

    @Test
    fun theJvmsProxyOptionsOnItsCommandLineSelectTheProxy() = pki.emulator().use { emulator ->
        val options = listOf(
            "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=${squid.openPort}",
            "-Djavax.net.ssl.trustStore=${trustStore()}", "-Djavax.net.ssl.trustStorePassword=changeit",
        )
        // The JVM's configuration comes before the environment's.
        val env = mapOf("HTTPS_PROXY" to "http://127.0.0.1:${Squid.freePort()}")
        assertEquals("ok", NetworkProbe.run(emulator, url(emulator, "operator.euid.test"), env, options))
        assertEquals(1, tunnels(emulator).size)
    }

    @Test
    fun theJvmsTrustStoreIsTrusted() = pki.emulator().use { emulator ->
        val base = url(emulator, "localhost")
        val refused = NetworkProbe.run(emulator, base)
        assertTrue(refused.startsWith("error UNTRUSTED_CERTIFICATE "), refused)
        val options = listOf("-Djavax.net.ssl.trustStore=${trustStore()}", "-Djavax.net.ssl.trustStorePassword=changeit")
        assertEquals("ok", NetworkProbe.run(emulator, base, jvmOptions = options))
    }

    /** A PKCS#12 trust store (password `changeit`) holding the test CA only. */
    private fun trustStore(): File {
        val file = File(dir, "trust.p12")
        if (!file.exists()) {
            val store = KeyStore.getInstance("PKCS12").apply { load(null, null) }
            val ca = pki.ca.inputStream().use { CertificateFactory.getInstance("X.509").generateCertificate(it) }
            store.setCertificateEntry("euid-test-ca", ca)
            file.outputStream().use { store.store(it, "changeit".toCharArray()) }
        }
        return file
    }
}
