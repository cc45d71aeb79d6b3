package org.euidsdk

import java.net.InetSocketAddress
import java.net.Proxy
import java.net.ProxySelector
import java.net.URI
import java.net.URISyntaxException
import org.euidsdk.internal.ProxyChoice

/**
 * Which forward proxy a [PublisherClient] uses: [SYSTEM] (the default), [DIRECT] or [url].
 * [toString] never shows the credentials.
 */
class ProxyConfig private constructor(private val url: String?, private val system: Boolean) {
    /** What the native client is told: a proxy, none, or null for the environment's. */
    internal fun choice(baseUrl: String): ProxyChoice? = when {
        url != null -> ProxyChoice.Url(url)
        system -> jvmProxy(baseUrl)
        else -> ProxyChoice.Direct
    }

    override fun toString(): String = when {
        url != null -> "ProxyConfig.url(<redacted>)"
        system -> "ProxyConfig.SYSTEM"
        else -> "ProxyConfig.DIRECT"
    }

    companion object {
        /**
         * The JVM's proxy, as OkHttp takes it: what [ProxySelector.getDefault] selects for the
         * base URL (the `https.proxyHost` / `https.proxyPort` / `http.nonProxyHosts` system
         * properties, or a selector the application installed). When the JVM has no proxy
         * configuration at all, the environment's: `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`,
         * as curl reads them. Loopback hosts are reached directly either way. Read when the
         * client is created.
         */
        @JvmField
        val SYSTEM = ProxyConfig(null, system = true)

        /** No proxy, whatever the JVM or the environment say. */
        @JvmField
        val DIRECT = ProxyConfig(null, system = false)

        /**
         * This proxy for every request, loopback hosts included:
         * `http://[user:password@]host[:port]` (port 80 by default; user and password
         * percent-encoded). The client's constructor checks it.
         */
        @JvmStatic
        fun url(url: String) = ProxyConfig(url, system = false)
    }
}

/**
 * The JVM's proxy for [baseUrl]: a proxy it selects, [ProxyChoice.Direct] when it is configured
 * and selects none, null (the environment's) when it has no proxy configuration.
 */
private fun jvmProxy(baseUrl: String): ProxyChoice? {
    val selector = ProxySelector.getDefault() ?: return null
    // An invalid URL is left for the native client to reject with its own message.
    val uri = try {
        URI(baseUrl.trim())
    } catch (_: URISyntaxException) {
        return null
    }
    if (uri.host == null) return null
    val proxy = selector.select(uri).firstOrNull { it.type() != Proxy.Type.DIRECT }
    if (proxy == null) return if (jvmConfigured(selector)) ProxyChoice.Direct else null
    if (proxy.type() != Proxy.Type.HTTP) {
        throw ConfigException(
            ErrorKind.CONFIG,
            "the JVM's proxy for ${uri.host} is a SOCKS proxy, which is not supported: configure an HTTP " +
                "proxy (https.proxyHost) or pass proxy = ProxyConfig.url(\"http://host:port\")",
        )
    }
    val address = proxy.address() as? InetSocketAddress ?: return null
    val host = address.hostString.let { if (':' in it) "[$it]" else it }
    return ProxyChoice.Url("http://$host:${address.port}")
}

/** Whether the JVM has a proxy configuration, so that its "no proxy" is meant. */
private fun jvmConfigured(selector: ProxySelector): Boolean =
    selector.javaClass.name != "sun.net.spi.DefaultProxySelector" ||
        listOf("https.proxyHost", "http.proxyHost", "socksProxyHost").any { System.getProperty(it) != null } ||
        System.getProperty("java.net.useSystemProxies").toBoolean()
