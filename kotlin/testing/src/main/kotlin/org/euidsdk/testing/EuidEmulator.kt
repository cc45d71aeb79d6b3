package org.euidsdk.testing

import java.util.concurrent.atomic.AtomicBoolean

/**
 * A local EUID operator on `127.0.0.1` at a free port, running in this JVM from [start] until
 * [close]. It answers as the operator does (the same checks, statuses and messages, the EUID
 * production token lifetimes) and adds controls: its clock, opt-outs, injected faults, request
 * counters, a `Date` header. Test identities: `optout@example.com` is always opted out,
 * `refresh-optout@example.com` opts out at its first refresh.
 *
 * ```java
 * try (EuidEmulator emulator = EuidEmulator.start();
 *      PublisherClient client = new PublisherClient(emulator.getUrl(), emulator.getApiKey(), emulator.getClientSecret())) {
 *     GenerateResult result = client.generateTokenBlocking(Dii.email("jane.doe@example.com"));
 * }
 * ```
 *
 * In JUnit 5, [EuidEmulatorExtension] injects one. Thread-safe; [toString] never shows the
 * credentials. Every control call throws [EmulatorException] when the emulator refuses it.
 */
class EuidEmulator private constructor(
    private val id: Long,
    /** The operator's base URL, `http://127.0.0.1:<port>`: the SDK's base URL. */
    val url: String,
    /** The one API key the emulator accepts. */
    val apiKey: String,
    /** Its client secret, standard base64. */
    val clientSecret: String,
) : AutoCloseable {
    private val control = Control(url)
    private val closed = AtomicBoolean()

    private fun call(method: String, path: String, body: Any? = null): Map<*, *> {
        if (closed.get()) throw EmulatorException(EmulatorException.Kind.NOT_RUNNING, "the emulator is closed")
        return control.call(method, path, body)
    }

    private fun setClock(body: Map<String, Any>) = EmulatorClock.fromJson(call("POST", "clock", body))

    /**
     * The emulator's clock: every time it uses (issue and expiry, the drift check, answer
     * timestamps, the `Date` header) comes from it.
     */
    fun clock(): EmulatorClock = EmulatorClock.fromJson(call("GET", "clock"))

    /** Sets the emulator's now (epoch ms); it keeps ticking from there unless frozen. */
    fun setNowMs(nowMs: Long): EmulatorClock = setClock(mapOf("now_ms" to nowMs))

    /** Moves the emulator's clock by [deltaMs] (negative goes back), frozen or not. */
    fun advanceClockMs(deltaMs: Long): EmulatorClock = setClock(mapOf("advance_ms" to deltaMs))

    /** Stops the clock at [nowMs] (advancing still moves it), for exact edge tests. */
    fun freezeClockAt(nowMs: Long): EmulatorClock = setClock(mapOf("now_ms" to nowMs, "frozen" to true))

    /** Lets a frozen clock tick again from where it stands. */
    fun unfreezeClock(): EmulatorClock = setClock(mapOf("frozen" to false))

    /**
     * Adds ([on]) or drops a `Date` header on later answers, as a load balancer in front of the
     * operator may add one; the operator itself sends none.
     */
    fun setDateHeader(on: Boolean): EmulatorClock = setClock(mapOf("date_header" to on))

    /** Opts out a raw email (normalized as the operator does): its next generate and refresh answer opt-out. */
    fun optOutEmail(email: String) {
        call("POST", "optout", mapOf("email" to email))
    }

    /** Opts out a normalized phone number (`+` and 10 to 15 digits). */
    fun optOutPhone(phone: String) {
        call("POST", "optout", mapOf("phone" to phone))
    }

    /** Opts out an email hash (44 base64 or 64 hex characters). */
    fun optOutEmailHash(emailHash: String) {
        call("POST", "optout", mapOf("email_hash" to emailHash))
    }

    /** Opts out a phone hash (44 base64 or 64 hex characters). */
    fun optOutPhoneHash(phoneHash: String) {
        call("POST", "optout", mapOf("phone_hash" to phoneHash))
    }

    /** Replaces the fault list. */
    fun setFaults(vararg faults: Fault) {
        call("POST", "faults", mapOf("faults" to faults.map { it.toJson() }))
    }

    /** The fault list, with the remaining counts. */
    fun faults(): List<Fault> = (call("GET", "faults")["faults"] as List<*>).map { Fault.fromJson(it as Map<*, *>) }

    /** Removes every fault. */
    fun clearFaults() {
        call("DELETE", "faults")
    }

    /** Requests to each token endpoint since the last reset, and their outcomes. */
    fun counters(): Counters = Counters.fromJson(call("GET", "counters"))

    /**
     * Clears counters, faults, opt-outs, the clock's offset and freeze, and the `Date` header
     * switch (back to the configured value). Credentials and tokens stay valid.
     */
    fun reset() {
        call("POST", "reset")
    }

    /** Stops the emulator: its port is closed when this returns. Later calls do nothing. */
    override fun close() {
        if (closed.compareAndSet(false, true)) TestingLibrary.stop(id)
    }

    override fun toString(): String = "EuidEmulator(url=$url, ${if (closed.get()) "closed" else "running"})"

    /**
     * The settings of an emulator; each one left unset keeps the default: a random API key and
     * client secret, the EUID production lifetimes (identity 3 days, refresh token 30 days,
     * refresh from 1 hour), the operator's drift threshold (1 minute) and TCF vendor (21), no
     * `Date` header (the operator sends none), a site with a keyset.
     */
    class Builder internal constructor() {
        private var apiKey: String? = null
        private var clientSecret: String? = null
        private var identityLifetimeMs: Long? = null
        private var refreshLifetimeMs: Long? = null
        private var refreshFromMs: Long? = null
        private var driftThresholdMinutes: Long? = null
        private var tcfVendorId: Long? = null
        private var dateHeader = false
        private var noKeyset = false

        /** The API key to accept (non-empty visible ASCII). */
        fun apiKey(apiKey: String) = apply { this.apiKey = apiKey }

        /** The client secret, standard base64 of 32 bytes. */
        fun clientSecret(clientSecret: String) = apply { this.clientSecret = clientSecret }

        /** The advertising token's lifetime (`identity_expires` minus issue time), ms. */
        fun identityLifetimeMs(ms: Long) = apply { identityLifetimeMs = ms }

        /** The refresh token's lifetime (`refresh_expires` minus issue time), ms. */
        fun refreshLifetimeMs(ms: Long) = apply { refreshLifetimeMs = ms }

        /** When a refresh is due (`refresh_from` minus issue time), ms. */
        fun refreshFromMs(ms: Long) = apply { refreshFromMs = ms }

        /** The request-time drift accepted, in whole minutes as the operator counts them. */
        fun driftThresholdMinutes(minutes: Long) = apply { driftThresholdMinutes = minutes }

        /** The vendor whose TCF consent is checked. */
        fun tcfVendorId(vendorId: Int) = apply { tcfVendorId = vendorId.toLong() }

        /** Whether answers carry a `Date` header, as behind a load balancer. */
        fun dateHeader(on: Boolean) = apply { dateHeader = on }

        /** The API key's site has no keyset: validate answers "Unauthorised to validate token". */
        fun noKeyset(on: Boolean) = apply { noKeyset = on }

        /**
         * Starts the emulator.
         *
         * @throws EmulatorException [EmulatorException.Kind.CONFIG] for an invalid setting (named
         *   in the message), [EmulatorException.Kind.IO] when no port can be bound.
         */
        fun start(): EuidEmulator {
            val config = listOf(
                "api_key" to apiKey, "client_secret" to clientSecret, "identity_lifetime_ms" to identityLifetimeMs,
                "refresh_lifetime_ms" to refreshLifetimeMs, "refresh_from_ms" to refreshFromMs,
                "drift_threshold_minutes" to driftThresholdMinutes, "tcf_vendor_id" to tcfVendorId,
                "date_header" to dateHeader, "no_keyset" to noKeyset,
            ).mapNotNull { (name, value) -> value?.let { name to it } }.toMap()
            val started = TestingLibrary.start(config)
            return EuidEmulator(started.id, started.url, started.apiKey, started.clientSecret)
        }
    }

    companion object {
        /** Starts an emulator with the default settings. */
        @JvmStatic
        fun start(): EuidEmulator = builder().start()

        /** Settings for an emulator other than the default. */
        @JvmStatic
        fun builder(): Builder = Builder()
    }
}
