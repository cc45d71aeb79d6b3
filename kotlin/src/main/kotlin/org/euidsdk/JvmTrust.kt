package org.euidsdk

import java.security.GeneralSecurityException
import java.security.KeyStore
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * The certificate authorities the JVM trusts by default (its `cacerts`, or the store named by
 * `-Djavax.net.ssl.trustStore`), DER-encoded, for the native client to trust besides the
 * platform's store.
 */
internal fun jvmTrustedRoots(): List<ByteArray> {
    val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    try {
        factory.init(null as KeyStore?)
    } catch (err: GeneralSecurityException) {
        throw ConfigException(ErrorKind.CONFIG, "the JVM's trust store cannot be read: ${err.message}")
    }
    return factory.trustManagers
        .filterIsInstance<X509TrustManager>()
        .flatMap { it.acceptedIssuers.asList() }
        .map { it.encoded }
}
