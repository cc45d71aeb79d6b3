package org.euidsdk

import java.time.Instant
import org.euidsdk.internal.FfiConverterTypeIdentity
import org.euidsdk.internal.Identity as NativeIdentity
import org.euidsdk.internal.IdentityStatus as NativeStatus
import org.euidsdk.internal.Advice as NativeAdvice
import org.euidsdk.internal.identityAdvice
import org.euidsdk.internal.identityFromJson
import org.euidsdk.internal.identityStatus
import org.euidsdk.internal.identityStatusCode
import org.euidsdk.internal.identityToJson

/**
 * Where an identity stands. [code] is the EUID JavaScript SDK's status code (from the Rust core),
 * so the server and the browser speak one vocabulary.
 */
enum class IdentityStatus {
    /** A valid identity, newly established. */
    ESTABLISHED,
    /** A valid identity that replaced an earlier one. */
    REFRESHED,
    /** The advertising token expired; the refresh token is still valid. */
    EXPIRED,
    /** No identity. */
    NO_IDENTITY,
    /** The identity is unusable. */
    INVALID,
    /** The refresh token expired. */
    REFRESH_EXPIRED,
    /** The user opted out. */
    OPTOUT;

    /** The JavaScript SDK's status code: 0 for [ESTABLISHED], -4 for [OPTOUT], ... */
    val code: Int by lazy { identityStatusCode(toNative()) }

    /** Whether the advertising token may be sent. */
    val isUsable: Boolean get() = this == ESTABLISHED || this == REFRESHED

    internal fun toNative(): NativeStatus = natives[ordinal]

    companion object {
        /** The core's statuses, by the ordinal of their counterpart here. */
        private val natives: Array<NativeStatus> =
            NativeStatus.entries.sortedBy { of(it).ordinal }.toTypedArray()

        /** The status with the JavaScript SDK's [code], or null. */
        @JvmStatic
        fun fromCode(code: Int): IdentityStatus? = entries.firstOrNull { it.code == code }

        /** The one mapping from the core's statuses (the core says `OPT_OUT`, the JS SDK `OPTOUT`). */
        internal fun of(status: NativeStatus): IdentityStatus = when (status) {
            NativeStatus.ESTABLISHED -> ESTABLISHED
            NativeStatus.REFRESHED -> REFRESHED
            NativeStatus.EXPIRED -> EXPIRED
            NativeStatus.NO_IDENTITY -> NO_IDENTITY
            NativeStatus.INVALID -> INVALID
            NativeStatus.REFRESH_EXPIRED -> REFRESH_EXPIRED
            NativeStatus.OPT_OUT -> OPTOUT
        }
    }
}

/** What a server should do with an identity at a given instant. */
enum class Advice {
    /** Send the advertising token; no refresh needed yet. */
    USE_AS_IS,
    /** Send the advertising token and refresh it (`refresh_from` has passed). */
    USE_AND_REFRESH,
    /** The advertising token expired: refresh, then send the new one. */
    REFRESH_BEFORE_USE,
    /** No usable identity: generate one from the user's email or phone. */
    REESTABLISH,
    /** The user opted out: never send a token for them. */
    DO_NOT_USE;

    internal companion object {
        fun of(advice: NativeAdvice): Advice = valueOf(advice.name)
    }
}

/**
 * An EUID identity: the `body` of a successful generate or refresh. Store all of it with the
 * user ([toJson]): a refresh needs every field.
 *
 * Instants are epoch milliseconds ([identityExpires]) with [Instant] views
 * ([identityExpiresAt]). [toString] never shows a token or key. Immutable.
 */
class Identity @JvmOverloads constructor(
    /** The EUID token for the bidstream: send it to the SSP as is. */
    val advertisingToken: String,
    /** The opaque refresh token. */
    val refreshToken: String,
    /** When the advertising token expires, in epoch milliseconds. */
    val identityExpires: Long,
    /** From when to refresh, in epoch milliseconds. */
    val refreshFrom: Long,
    /** When the refresh token expires, in epoch milliseconds. */
    val refreshExpires: Long,
    /** The base64 key of the next refresh answer; null for legacy identities. */
    val refreshResponseKey: String? = null,
    /** Fields the SDK does not interpret, as a JSON object, kept for round trips. */
    val extraJson: String = "{}",
) {
    /** [identityExpires] as an [Instant]. */
    val identityExpiresAt: Instant get() = Instant.ofEpochMilli(identityExpires)

    /** [refreshFrom] as an [Instant]. */
    val refreshFromAt: Instant get() = Instant.ofEpochMilli(refreshFrom)

    /** [refreshExpires] as an [Instant]. */
    val refreshExpiresAt: Instant get() = Instant.ofEpochMilli(refreshExpires)

    /** The identity as compact JSON in the operator's shape, unknown fields included. */
    @Throws(EuidException::class)
    fun toJson(): String = native { identityToJson(toNative()) }

    /** The status at [now] (default: the current time). */
    @JvmOverloads
    @Throws(EuidException::class)
    fun status(now: Instant = Instant.now()): IdentityStatus = statusAt(now.toEpochMilli())

    /** The status at [nowMs] epoch milliseconds. */
    @Throws(EuidException::class)
    fun statusAt(nowMs: Long): IdentityStatus =
        IdentityStatus.of(native { identityStatus(toNative(), nowMs) })

    /** What to do at [now] (default: the current time). */
    @JvmOverloads
    @Throws(EuidException::class)
    fun advice(now: Instant = Instant.now()): Advice = adviceAt(now.toEpochMilli())

    /** What to do at [nowMs] epoch milliseconds. */
    @Throws(EuidException::class)
    fun adviceAt(nowMs: Long): Advice = Advice.of(native { identityAdvice(toNative(), nowMs) })

    /** This identity as the argument of a door call. */
    internal fun args(): Args = toNative().let { native ->
        Args(FfiConverterTypeIdentity.sizeOf(native)) { FfiConverterTypeIdentity.write(native, it) }
    }

    internal fun toNative() = NativeIdentity(
        advertisingToken, refreshToken, identityExpires, refreshFrom, refreshExpires,
        refreshResponseKey, extraJson,
    )

    override fun equals(other: Any?): Boolean = other is Identity && toNative() == other.toNative()

    override fun hashCode(): Int = toNative().hashCode()

    override fun toString(): String =
        "Identity(identityExpires=$identityExpires, refreshFrom=$refreshFrom, " +
            "refreshExpires=$refreshExpires, tokens=<redacted>)"

    companion object {
        /**
         * Parses identity JSON: the operator's `body`, a stored identity, or the browser SDK's
         * `__euid` cookie value (URI-decoded).
         *
         * @throws InvalidIdentityException a field is missing or has the wrong type.
         */
        @JvmStatic
        @Throws(EuidException::class)
        fun fromJson(json: String): Identity = of(native { identityFromJson(json) })

        internal fun of(identity: NativeIdentity) = Identity(
            identity.advertisingToken, identity.refreshToken, identity.identityExpires,
            identity.refreshFrom, identity.refreshExpires, identity.refreshResponseKey,
            identity.extraJson,
        )
    }
}
