package org.euidsdk

import java.util.concurrent.CompletableFuture
import org.euidsdk.internal.FfiConverterOptionalString
import org.euidsdk.internal.FfiConverterOptionalTypeIdentity
import org.euidsdk.internal.FfiConverterString
import org.euidsdk.internal.FfiConverterTypeDiiInput
import org.euidsdk.internal.FfiConverterTypeIdentityStatus
import org.euidsdk.internal.IdentityManager as NativeManager

/**
 * Keeps each user's EUID identity over a [PublisherClient] and an [IdentityStore]: what every
 * publisher otherwise writes by hand.
 *
 * - [establish] generates an identity when the user signs in and stores it. An opt-out answer
 *   sets the user's opt-out marker instead, and later calls for that user make no request.
 * - [advertisingToken] returns the token to send, refreshing it first when it is due. Concurrent
 *   calls for one user share a single refresh request; different users never wait for each other.
 * - Nothing is lost: a failed refresh keeps the identity (and returns its token while it is still
 *   valid); an opt-out deletes it and sets the marker; an expired or invalid refresh token
 *   deletes it.
 * - [logout] deletes the identity without a request; the opt-out marker stays.
 *
 * Each call is available as a `suspend` function, a blocking function (`...Blocking`) and a
 * [CompletableFuture] (`...Async`); the `suspend` functions are hidden from Java. Thread-safe:
 * create one per process and share it. Close it at shutdown ([AutoCloseable]); later calls
 * throw [ClientClosedException]. It keeps the client's connection pool alive until then, even if
 * the client itself is closed first. The [CompletableFuture]s complete on
 * [kotlinx.coroutines.Dispatchers.Default].
 *
 * ```kotlin
 * val manager = IdentityManager(client, MyDatabaseStore())
 * manager.establish(userId, Dii.email(email))                  // at sign-in
 * val token = manager.advertisingToken(userId).advertisingToken // per page view; null: none
 * manager.logout(userId)                                       // at sign-out
 * ```
 *
 * @param client the client requests go through.
 * @param store where identities live. Default: an unbounded in-memory store inside the native
 *   library (see [MemoryStore]).
 * @param clock the clock that decides when a refresh is due. Default: the client's clock, or the
 *   system clock if the client has none.
 * @param listener hears every status change. Default: none.
 */
class IdentityManager @JvmOverloads constructor(
    client: PublisherClient,
    store: IdentityStore? = null,
    clock: OffsetClock? = null,
    listener: StatusListener? = null,
) : AutoCloseable {
    private val storeName: String = store?.javaClass?.simpleName ?: "native MemoryStore"

    init {
        LogBridge.sync()
    }

    private val inner: NativeManager = native {
        val nativeClock = (clock ?: client.offsetClock)?.inner
        val nativeListener = listener?.let(::ListenerAdapter)
        when (store) {
            is MemoryStore -> NativeManager.withMemoryStore(client.nativeClient, store.inner, nativeClock, nativeListener)
            null -> MemoryStore().use { NativeManager.withMemoryStore(client.nativeClient, it.inner, nativeClock, nativeListener) }
            else -> NativeManager(client.nativeClient, StoreAdapter(store), nativeClock, nativeListener)
        }
    }

    /** The manager's id in the library's registry: the target of its door calls. */
    private val target: Long = inner.target().toLong()

    /**
     * Generates an identity for [user] (`POST /v2/token/generate`) and stores it.
     *
     * - [GenerateResult.Success]: the identity is stored (replacing any earlier one).
     * - [GenerateResult.OptOut]: the opt-out marker is set. A user who already has it gets
     *   this answer without a request.
     * - [GenerateResult.InsufficientConsent]: any stored identity is deleted.
     *
     * @param user the publisher's key for the user (a user id, a session id).
     * @param dii the email or phone number (or its hash) the user signed in with.
     * @param tcfConsentString the user's TCF consent string, if the site collects one.
     * @throws EuidException a subclass for each failure of the request (nothing is stored then),
     *   or [StoreException].
     */
    @JvmSynthetic
    @Throws(EuidException::class)
    suspend fun establish(user: String, dii: Dii, tcfConsentString: String? = null): GenerateResult =
        Door.await(Op.MANAGER_ESTABLISH, target, establishArgs(user, dii, tcfConsentString), GenerateResult::read)

    /** The blocking form of [establish]. Do not call it from a coroutine. */
    @JvmOverloads
    @Throws(EuidException::class)
    fun establishBlocking(user: String, dii: Dii, tcfConsentString: String? = null): GenerateResult =
        Door.call(Op.MANAGER_ESTABLISH, target, establishArgs(user, dii, tcfConsentString), GenerateResult::read)

    /** The [CompletableFuture] form of [establish], for Java. */
    @JvmOverloads
    fun establishAsync(user: String, dii: Dii, tcfConsentString: String? = null): CompletableFuture<GenerateResult> =
        Door.future(Op.MANAGER_ESTABLISH, target, establishArgs(user, dii, tcfConsentString), GenerateResult::read)

    /**
     * The advertising token to send for [user] now, refreshing first when it is due
     * (`POST /v2/token/refresh`, one request however many callers ask at once).
     *
     * @return [TokenAnswer.Token], or why there is none: [TokenAnswer.NoIdentity],
     *   [TokenAnswer.OptedOut], [TokenAnswer.RefreshExpired], [TokenAnswer.Invalid].
     * @throws EuidException the refresh failed and the stored token has expired (the identity is
     *   kept for the next try; while the token is still valid, a failed refresh returns it
     *   instead), or [StoreException].
     */
    @JvmSynthetic
    @Throws(EuidException::class)
    suspend fun advertisingToken(user: String): TokenAnswer =
        Door.await(Op.MANAGER_ADVERTISING_TOKEN, target, userArgs(user), TokenAnswer::read)

    /** The blocking form of [advertisingToken]. Do not call it from a coroutine. */
    @Throws(EuidException::class)
    fun advertisingTokenBlocking(user: String): TokenAnswer =
        Door.call(Op.MANAGER_ADVERTISING_TOKEN, target, userArgs(user), TokenAnswer::read)

    /** The [CompletableFuture] form of [advertisingToken], for Java. */
    fun advertisingTokenAsync(user: String): CompletableFuture<TokenAnswer> =
        Door.future(Op.MANAGER_ADVERTISING_TOKEN, target, userArgs(user), TokenAnswer::read)

    /**
     * Deletes [user]'s identity, without a request. The opt-out marker stays.
     *
     * @throws StoreException the store failed.
     */
    @Throws(EuidException::class)
    fun logout(user: String) = Door.call(Op.MANAGER_LOGOUT, target, userArgs(user)) {}

    /**
     * [user]'s status now, read from the store alone (no request).
     *
     * @throws StoreException the store failed.
     * @throws InvalidIdentityException the stored JSON is not an identity.
     */
    @Throws(EuidException::class)
    fun status(user: String): IdentityStatus =
        Door.call(Op.MANAGER_STATUS, target, userArgs(user)) { IdentityStatus.of(FfiConverterTypeIdentityStatus.read(it)) }

    /**
     * [user]'s stored identity, or null: e.g. to hand it to the browser SDK
     * ([Cookies.forIdentity]).
     *
     * @throws StoreException the store failed.
     * @throws InvalidIdentityException the stored JSON is not an identity.
     */
    @Throws(EuidException::class)
    fun identity(user: String): Identity? =
        Door.call(Op.MANAGER_IDENTITY, target, userArgs(user)) { FfiConverterOptionalTypeIdentity.read(it)?.let(Identity::of) }

    /**
     * Closes the manager: later calls throw [ClientClosedException]; calls already running
     * finish. Closing again does nothing.
     */
    override fun close() = inner.closeTarget()

    /** Names the store's class; never an identity. */
    override fun toString(): String = "IdentityManager(store=$storeName)"

    private fun userArgs(user: String) = Args(FfiConverterString.sizeOf(user)) { FfiConverterString.write(user, it) }

    private fun establishArgs(user: String, dii: Dii, tcfConsentString: String?) = Args(
        FfiConverterString.sizeOf(user) + FfiConverterTypeDiiInput.sizeOf(dii.input) +
            FfiConverterOptionalString.sizeOf(tcfConsentString),
    ) {
        FfiConverterString.write(user, it)
        FfiConverterTypeDiiInput.write(dii.input, it)
        FfiConverterOptionalString.write(tcfConsentString, it)
    }
}
