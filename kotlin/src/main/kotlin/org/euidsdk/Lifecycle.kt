package org.euidsdk

import org.euidsdk.internal.Event
import org.euidsdk.internal.Lifecycle as NativeLifecycle

/**
 * One user's identity lifecycle as a pure state machine: statuses, events and advice, with
 * the instant of each given explicitly. Immutable: each event returns the next lifecycle.
 *
 * Most applications use [Identity.status] and [Identity.advice]; this class is for code that
 * tracks an identity through its events, as the browser SDK does.
 */
class Lifecycle private constructor(private val inner: NativeLifecycle) : AutoCloseable {
    /** An empty lifecycle (no identity). */
    constructor() : this(NativeLifecycle())

    /** The status after the last event. */
    val status: IdentityStatus get() = IdentityStatus.of(inner.status())

    /** The identity held, if any. */
    val identity: Identity? get() = inner.identity()?.let(Identity::of)

    /** The status at [nowMs]. */
    fun statusAt(nowMs: Long): IdentityStatus = IdentityStatus.of(inner.statusAt(nowMs))

    /** What to do at [nowMs]. */
    fun adviceAt(nowMs: Long): Advice = Advice.of(inner.advice(nowMs))

    /** After `/v2/token/generate` answered [result] at [nowMs]. */
    @Throws(EuidException::class)
    fun onGenerated(result: GenerateResult, nowMs: Long) = apply(Event.Generated(result.toNative()), nowMs)

    /** After `/v2/token/refresh` answered [result] at [nowMs]. */
    @Throws(EuidException::class)
    fun onRefreshed(result: RefreshResult, nowMs: Long) = apply(Event.Refreshed(result.toNative()), nowMs)

    /** After a refresh failed for a transient reason (the identity is kept). */
    @Throws(EuidException::class)
    fun onRefreshFailed(nowMs: Long) = apply(Event.RefreshFailed, nowMs)

    /** After time passed. */
    @Throws(EuidException::class)
    fun onTimePassed(nowMs: Long) = apply(Event.TimePassed, nowMs)

    /** After the user logged out. */
    @Throws(EuidException::class)
    fun onLogout(nowMs: Long) = apply(Event.Logout, nowMs)

    private fun apply(event: Event, nowMs: Long) = Lifecycle(native { inner.apply(event, nowMs) })

    override fun close() = inner.close()

    override fun toString(): String = "Lifecycle(status=$status)"

    companion object {
        /**
         * A lifecycle in [status] holding [identity], as restored from storage at [nowMs].
         * Statuses that depend on time are re-derived from the identity.
         */
        @JvmStatic
        @Throws(EuidException::class)
        fun restore(status: IdentityStatus, identity: Identity?, nowMs: Long) =
            Lifecycle(native { NativeLifecycle.restore(status.toNative(), identity?.toNative(), nowMs) })
    }
}
