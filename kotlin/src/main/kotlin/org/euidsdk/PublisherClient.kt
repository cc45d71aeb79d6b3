package org.euidsdk

import java.time.Duration
import java.util.concurrent.CompletableFuture
import org.euidsdk.internal.ClientConfig
import org.euidsdk.internal.FfiConverterBoolean
import org.euidsdk.internal.FfiConverterOptionalString
import org.euidsdk.internal.FfiConverterString
import org.euidsdk.internal.FfiConverterTypeDiiInput
import org.euidsdk.internal.PublisherClient as NativeClient

/** The `X-UID2-Client-Version` this package sends. */
internal const val CLIENT_VERSION = "euid-sdk-kotlin-0.1.0"

/**
 * A client of the EUID operator: `generateToken`, `refreshToken` and `validateToken`, each as
 * a `suspend` function, a blocking function (`...Blocking`) and a [CompletableFuture]
 * (`...Async`) for Java.
 *
 * Thread-safe: create one per process and share it; it keeps a connection pool. Close it at
 * shutdown ([AutoCloseable]); later calls throw [ClientClosedException]. Every client shares the
 * process's one native runtime, whichever thread or coroutine calls it. Cancelling a `suspend`
 * call returns at once; its request runs on to its end (within [deadline]) and the result is
 * dropped. The [CompletableFuture]s complete on [kotlinx.coroutines.Dispatchers.Default].
 *
 * Failures are [EuidException] subclasses, thrown after the retries. The SDK logs to the
 * `java.util.logging` logger `org.euidsdk` ([setLogLevel]): retries at `INFO`, each request at
 * `FINE`, never a key, token or email.
 *
 * ```kotlin
 * PublisherClient(INTEGRATION_URL, apiKey, clientSecret).use { client ->
 *     when (val result = client.generateToken(Dii.email("user@example.com"))) {
 *         is GenerateResult.Success -> store(result.identity.toJson())
 *         GenerateResult.OptOut -> rememberOptOut()
 *         GenerateResult.InsufficientConsent -> Unit
 *     }
 * }
 * ```
 *
 * @param baseUrl [INTEGRATION_URL], [PRODUCTION_URL], a proxy (its path prefix is kept) or a
 *   loopback `http://` URL for the emulator.
 * @param apiKey the API key (client key) from the EUID portal.
 * @param clientSecret the base64 client secret from the EUID portal.
 * @param timeout time for one attempt. Default 5 s.
 * @param deadline time for a whole call, retries and backoff included. Default 15 s.
 * @param maxRetries retries of network errors, timeouts, 5xx and 429. Default 2.
 * @param connectTimeout time to connect. Default 2 s.
 * @param binaryEnvelopes send envelopes as `application/octet-stream`. Default false.
 * @param clock the clock for request timestamps. Default: the system clock.
 * @param proxy the forward proxy: [ProxyConfig.SYSTEM] (the default: the JVM's `ProxySelector`
 *   and `https.proxyHost` properties, else `HTTPS_PROXY` / `NO_PROXY`), [ProxyConfig.DIRECT] or
 *   [ProxyConfig.url].
 * @param caCertificatesPem CA certificates (PEM text) to trust besides the platform's store and
 *   the JVM's default trust store (`-Djavax.net.ssl.trustStore` included). Certificates are
 *   always verified.
 * @throws ConfigException a setting is invalid (the proxy URL and the PEM included).
 */
class PublisherClient @JvmOverloads @Throws(EuidException::class) constructor(
    baseUrl: String,
    apiKey: String,
    clientSecret: String,
    timeout: Duration = Duration.ofSeconds(5),
    deadline: Duration = Duration.ofSeconds(15),
    maxRetries: Int = 2,
    connectTimeout: Duration = Duration.ofSeconds(2),
    binaryEnvelopes: Boolean = false,
    clock: OffsetClock? = null,
    proxy: ProxyConfig = ProxyConfig.SYSTEM,
    caCertificatesPem: String? = null,
) : AutoCloseable {
    init {
        NativeThreads.ensure()
        // The first client installs the log bridge; each one re-reads the logger's level.
        LogBridge.sync()
    }

    private val inner: NativeClient = native {
        NativeClient(
            ClientConfig(
                baseUrl = baseUrl,
                apiKey = apiKey,
                clientSecret = clientSecret,
                timeoutMs = timeout.toMillis(),
                connectTimeoutMs = connectTimeout.toMillis(),
                deadlineMs = deadline.toMillis(),
                maxRetries = maxRetries,
                binaryEnvelopes = binaryEnvelopes,
                clientVersion = CLIENT_VERSION,
                clock = clock?.inner,
                proxy = proxy.choice(baseUrl),
                caCertificatesPem = caCertificatesPem,
                hostRootCertificates = jvmTrustedRoots(),
            ),
        )
    }

    /** The client's id in the library's registry: the target of its door calls. */
    internal val target: Long = inner.target().toLong()

    /** The generated client, for [IdentityManager]. */
    internal val nativeClient: NativeClient get() = inner

    /** The clock this client was built with, which [IdentityManager] uses by default. */
    internal val offsetClock: OffsetClock? = clock

    /** The base URL requests go to. */
    val baseUrl: String get() = inner.baseUrl()

    /** The clock correction learned from the operator (0 until a drift was seen). */
    val clockOffsetMs: Long get() = inner.clockOffsetMs()

    /**
     * Generates an identity (`POST /v2/token/generate`).
     *
     * The `suspend` functions are hidden from Java (`@JvmSynthetic`); Java calls the
     * `...Blocking` or `...Async` forms.
     *
     * @return [GenerateResult.Success], [GenerateResult.OptOut] or
     *   [GenerateResult.InsufficientConsent].
     * @throws EuidException a subclass for each failure.
     */
    @JvmSynthetic
    @Throws(EuidException::class)
    suspend fun generateToken(dii: Dii, tcfConsentString: String? = null): GenerateResult =
        Door.await(Op.CLIENT_GENERATE, target, generateArgs(dii, tcfConsentString), GenerateResult::read)

    /** The blocking form of [generateToken]. */
    @JvmOverloads
    @Throws(EuidException::class)
    fun generateTokenBlocking(dii: Dii, tcfConsentString: String? = null): GenerateResult =
        Door.call(Op.CLIENT_GENERATE, target, generateArgs(dii, tcfConsentString), GenerateResult::read)

    /** The [CompletableFuture] form of [generateToken], for Java. */
    @JvmOverloads
    fun generateTokenAsync(dii: Dii, tcfConsentString: String? = null): CompletableFuture<GenerateResult> =
        Door.future(Op.CLIENT_GENERATE, target, generateArgs(dii, tcfConsentString), GenerateResult::read)

    /**
     * Refreshes an identity (`POST /v2/token/refresh`).
     *
     * @return [RefreshResult.Success], [RefreshResult.OptOut], [RefreshResult.ExpiredToken] or
     *   [RefreshResult.InvalidToken].
     * @throws EuidException a subclass for each failure; the identity stays usable until it
     *   expires.
     */
    @JvmSynthetic
    @Throws(EuidException::class)
    suspend fun refreshToken(identity: Identity): RefreshResult =
        Door.await(Op.CLIENT_REFRESH, target, identity.args(), RefreshResult::read)

    /** The blocking form of [refreshToken]. */
    @Throws(EuidException::class)
    fun refreshTokenBlocking(identity: Identity): RefreshResult =
        Door.call(Op.CLIENT_REFRESH, target, identity.args(), RefreshResult::read)

    /** The [CompletableFuture] form of [refreshToken], for Java. */
    fun refreshTokenAsync(identity: Identity): CompletableFuture<RefreshResult> =
        Door.future(Op.CLIENT_REFRESH, target, identity.args(), RefreshResult::read)

    /**
     * Whether [advertisingToken] was generated from [dii] (`POST /v2/token/validate`; meant
     * for integration tests).
     */
    @JvmSynthetic
    @Throws(EuidException::class)
    suspend fun validateToken(advertisingToken: String, dii: Dii): Boolean =
        Door.await(Op.CLIENT_VALIDATE, target, validateArgs(advertisingToken, dii), FfiConverterBoolean::read)

    /** The blocking form of [validateToken]. */
    @Throws(EuidException::class)
    fun validateTokenBlocking(advertisingToken: String, dii: Dii): Boolean =
        Door.call(Op.CLIENT_VALIDATE, target, validateArgs(advertisingToken, dii), FfiConverterBoolean::read)

    /** The [CompletableFuture] form of [validateToken], for Java. */
    fun validateTokenAsync(advertisingToken: String, dii: Dii): CompletableFuture<Boolean> =
        Door.future(Op.CLIENT_VALIDATE, target, validateArgs(advertisingToken, dii), FfiConverterBoolean::read)

    /**
     * Closes the client: later calls throw [ClientClosedException]; calls already running finish.
     * Closing again does nothing.
     */
    override fun close() = inner.closeTarget()

    override fun toString(): String = "PublisherClient(baseUrl=$baseUrl, credentials=<redacted>)"

    private fun generateArgs(dii: Dii, tcfConsentString: String?) = Args(
        FfiConverterTypeDiiInput.sizeOf(dii.input) + FfiConverterOptionalString.sizeOf(tcfConsentString),
    ) {
        FfiConverterTypeDiiInput.write(dii.input, it)
        FfiConverterOptionalString.write(tcfConsentString, it)
    }

    private fun validateArgs(advertisingToken: String, dii: Dii) = Args(
        FfiConverterString.sizeOf(advertisingToken) + FfiConverterTypeDiiInput.sizeOf(dii.input),
    ) {
        FfiConverterString.write(advertisingToken, it)
        FfiConverterTypeDiiInput.write(dii.input, it)
    }

    companion object {
        /** A client of the EUID integration environment with default settings. */
        @JvmStatic
        @Throws(EuidException::class)
        fun integration(apiKey: String, clientSecret: String) =
            PublisherClient(INTEGRATION_URL, apiKey, clientSecret)

        /** A client of the EUID production environment with default settings. */
        @JvmStatic
        @Throws(EuidException::class)
        fun production(apiKey: String, clientSecret: String) =
            PublisherClient(PRODUCTION_URL, apiKey, clientSecret)
    }
}

/**
 * A clock running at an adjustable offset from the system clock, for tests and demos that
 * move the emulator's clock. Pass it to [PublisherClient].
 */
class OffsetClock : AutoCloseable {
    internal val inner = org.euidsdk.internal.OffsetClock()

    /** Now, in epoch milliseconds. */
    fun nowMs(): Long = inner.nowMs()

    /** Moves the clock by [deltaMs] (negative moves it back). */
    fun advanceMs(deltaMs: Long) = inner.advanceMs(deltaMs)

    /** The offset from the system clock, in milliseconds. */
    var offsetMs: Long
        get() = inner.offsetMs()
        set(value) = inner.setOffsetMs(value)

    override fun close() = inner.close()
}
