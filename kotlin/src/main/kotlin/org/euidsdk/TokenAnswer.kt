package org.euidsdk

import java.nio.ByteBuffer
import org.euidsdk.internal.FfiConverterTypeTokenAnswer
import org.euidsdk.internal.TokenAnswer as NativeAnswer

/**
 * What [IdentityManager.advertisingToken] found for a user; `when` over it is exhaustive.
 *
 * ```kotlin
 * when (val answer = manager.advertisingToken(userId)) {
 *     is TokenAnswer.Token -> bidRequest.euid = answer.advertisingToken
 *     TokenAnswer.OptedOut -> Unit                      // never send a token for them
 *     TokenAnswer.NoIdentity, TokenAnswer.RefreshExpired, TokenAnswer.Invalid ->
 *         Unit                                          // establish again at the next sign-in
 * }
 * ```
 */
sealed class TokenAnswer {
    /** The advertising token to send, for [Token]; null otherwise. */
    open val advertisingToken: String? get() = null

    /** Whether the user must sign in again before there is a token: [NoIdentity], [RefreshExpired], [Invalid]. */
    val needsLogin: Boolean get() = this === NoIdentity || this === RefreshExpired || this === Invalid

    /** Send [advertisingToken] to the SSP as is. [toString] does not show it. */
    class Token(override val advertisingToken: String) : TokenAnswer() {
        override fun equals(other: Any?) = other is Token && other.advertisingToken == advertisingToken
        override fun hashCode() = advertisingToken.hashCode()
        override fun toString() = "TokenAnswer.Token(<redacted>)"
    }

    /** No identity is stored: establish one at the next sign-in. */
    object NoIdentity : TokenAnswer() {
        override fun toString() = "TokenAnswer.NoIdentity"
    }

    /** The user opted out: never send a token for them. The marker stays through logouts. */
    object OptedOut : TokenAnswer() {
        override fun toString() = "TokenAnswer.OptedOut"
    }

    /** The refresh token expired (the identity was deleted): establish again at the next sign-in. */
    object RefreshExpired : TokenAnswer() {
        override fun toString() = "TokenAnswer.RefreshExpired"
    }

    /** The operator rejected the refresh token (the identity was deleted): establish again. */
    object Invalid : TokenAnswer() {
        override fun toString() = "TokenAnswer.Invalid"
    }

    internal companion object {
        fun of(answer: NativeAnswer): TokenAnswer = when (answer) {
            is NativeAnswer.Token -> Token(answer.advertisingToken)
            NativeAnswer.NoIdentity -> NoIdentity
            NativeAnswer.OptedOut -> OptedOut
            NativeAnswer.RefreshExpired -> RefreshExpired
            NativeAnswer.Invalid -> Invalid
        }

        /** A token answer in UniFFI's layout. */
        fun read(buf: ByteBuffer): TokenAnswer = of(FfiConverterTypeTokenAnswer.read(buf))
    }
}
