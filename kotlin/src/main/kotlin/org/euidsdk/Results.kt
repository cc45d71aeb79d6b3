package org.euidsdk

import java.nio.ByteBuffer
import org.euidsdk.internal.FfiConverterTypeGenerateOutcome
import org.euidsdk.internal.FfiConverterTypeRefreshOutcome
import org.euidsdk.internal.GenerateOutcome
import org.euidsdk.internal.RefreshOutcome

/** What `generateToken` answered; `when` over it is exhaustive. */
sealed class GenerateResult {
    /** The identity, for [Success]; null otherwise. */
    open val identity: Identity? get() = null

    /** Whether this is [Success]. */
    val isSuccess: Boolean get() = this is Success

    /** Generate succeeded: store [identity] with the user. */
    class Success(override val identity: Identity) : GenerateResult() {
        override fun equals(other: Any?) = other is Success && other.identity == identity
        override fun hashCode() = identity.hashCode()
        override fun toString() = "GenerateResult.Success($identity)"
    }

    /** The user opted out: never generate a token for them again. */
    object OptOut : GenerateResult() {
        override fun toString() = "GenerateResult.OptOut"
    }

    /** The TCF consent string does not allow EUID: no token. */
    object InsufficientConsent : GenerateResult() {
        override fun toString() = "GenerateResult.InsufficientConsent"
    }

    internal fun toNative(): GenerateOutcome = when (this) {
        is Success -> GenerateOutcome.Success(identity.toNative())
        OptOut -> GenerateOutcome.OptOut
        InsufficientConsent -> GenerateOutcome.InsufficientConsent
    }

    internal companion object {
        fun of(outcome: GenerateOutcome): GenerateResult = when (outcome) {
            is GenerateOutcome.Success -> Success(Identity.of(outcome.identity))
            GenerateOutcome.OptOut -> OptOut
            GenerateOutcome.InsufficientConsent -> InsufficientConsent
        }

        /** A generate outcome in UniFFI's layout. */
        fun read(buf: ByteBuffer): GenerateResult = of(FfiConverterTypeGenerateOutcome.read(buf))
    }
}

/** What `refreshToken` answered; `when` over it is exhaustive. */
sealed class RefreshResult {
    /** The new identity, for [Success]; null otherwise. */
    open val identity: Identity? get() = null

    /** Whether this is [Success]. */
    val isSuccess: Boolean get() = this is Success

    /** Refresh succeeded: replace the stored identity with [identity]. */
    class Success(override val identity: Identity) : RefreshResult() {
        override fun equals(other: Any?) = other is Success && other.identity == identity
        override fun hashCode() = identity.hashCode()
        override fun toString() = "RefreshResult.Success($identity)"
    }

    /** The user opted out: delete the identity and stop refreshing. */
    object OptOut : RefreshResult() {
        override fun toString() = "RefreshResult.OptOut"
    }

    /** The refresh token expired: generate a new identity when the user signs in. */
    object ExpiredToken : RefreshResult() {
        override fun toString() = "RefreshResult.ExpiredToken"
    }

    /** The refresh token is not valid: generate a new identity when the user signs in. */
    object InvalidToken : RefreshResult() {
        override fun toString() = "RefreshResult.InvalidToken"
    }

    internal fun toNative(): RefreshOutcome = when (this) {
        is Success -> RefreshOutcome.Refreshed(identity.toNative())
        OptOut -> RefreshOutcome.OptOut
        ExpiredToken -> RefreshOutcome.ExpiredToken
        InvalidToken -> RefreshOutcome.InvalidToken
    }

    internal companion object {
        fun of(outcome: RefreshOutcome): RefreshResult = when (outcome) {
            is RefreshOutcome.Refreshed -> Success(Identity.of(outcome.identity))
            RefreshOutcome.OptOut -> OptOut
            RefreshOutcome.ExpiredToken -> ExpiredToken
            RefreshOutcome.InvalidToken -> InvalidToken
        }

        /** A refresh outcome in UniFFI's layout. */
        fun read(buf: ByteBuffer): RefreshResult = of(FfiConverterTypeRefreshOutcome.read(buf))
    }
}
