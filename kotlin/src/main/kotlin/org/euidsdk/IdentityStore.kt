package org.euidsdk

import org.euidsdk.internal.ErrorInfo as NativeInfo
import org.euidsdk.internal.ErrorKind as NativeKind
import org.euidsdk.internal.EuidException as NativeException
import org.euidsdk.internal.IdentityStore as NativeStore

/**
 * Where [IdentityManager] keeps each user's identity between requests: an HTTP session, a
 * database table, Redis. Keys are the publisher's own user keys (a user id, a session id).
 * Implement it in Kotlin or Java; [MemoryStore] is a ready-made in-memory one.
 *
 * - An identity crosses as its JSON (the operator's shape, unknown fields included): store the
 *   string as it is and give it back unchanged.
 * - The opt-out marker is separate from the identity. [IdentityManager.logout] deletes the
 *   identity and keeps the marker, so a user who opted out is never generated for again.
 * - Methods run on the SDK's threads (or the caller's, for `status`, `identity` and `logout`)
 *   and should be quick: a slow store delays every user. They must not call the manager's
 *   blocking methods.
 * - Throw any exception to report a failure. The manager's caller then gets a
 *   [StoreException] whose message names the exception's class and message (with the user key
 *   and the identity's tokens cut out), and the identity stays as the store last held it.
 *
 * ```java
 * final class SessionStore implements IdentityStore {
 *     public String load(String user) { return sessions.get(user, "euid"); }
 *     public void save(String user, String identityJson) { sessions.put(user, "euid", identityJson); }
 *     public void delete(String user) { sessions.remove(user, "euid"); }
 *     public boolean isOptedOut(String user) { return sessions.get(user, "euid-optout") != null; }
 *     public void setOptedOut(String user) { sessions.put(user, "euid-optout", "1"); }
 * }
 * ```
 */
interface IdentityStore {
    /**
     * The user's identity JSON, or null if none is stored.
     *
     * @throws Exception the store failed.
     */
    @Throws(Exception::class)
    fun load(user: String): String?

    /**
     * Stores (or replaces) the user's identity JSON.
     *
     * @throws Exception the store failed.
     */
    @Throws(Exception::class)
    fun save(user: String, identityJson: String)

    /**
     * Deletes the user's identity, if any. The opt-out marker stays.
     *
     * @throws Exception the store failed.
     */
    @Throws(Exception::class)
    fun delete(user: String)

    /**
     * Whether the user's opt-out marker is set.
     *
     * @throws Exception the store failed.
     */
    @Throws(Exception::class)
    fun isOptedOut(user: String): Boolean

    /**
     * Sets the user's opt-out marker: the manager never generates for them again.
     *
     * @throws Exception the store failed.
     */
    @Throws(Exception::class)
    fun setOptedOut(user: String)
}

/**
 * A public [IdentityStore] seen as the generated foreign trait. Every exception crosses as the
 * generated store error, with the exception's class and message as they are: the library redacts
 * them (the user key, the identity's tokens) before they reach an error or a log.
 */
internal class StoreAdapter(private val store: IdentityStore) : NativeStore {
    override fun load(user: String): String? = guard("load") { store.load(user) }

    override fun save(user: String, identityJson: String) = guard("save") { store.save(user, identityJson) }

    override fun delete(user: String) = guard("delete") { store.delete(user) }

    override fun isOptedOut(user: String): Boolean = guard("isOptedOut") { store.isOptedOut(user) }

    override fun setOptedOut(user: String) = guard("setOptedOut") { store.setOptedOut(user) }

    override fun toString(): String = "StoreAdapter(${store.javaClass.name})"

    private inline fun <T> guard(method: String, call: () -> T): T = try {
        call()
    } catch (err: Throwable) {
        throw foreignFailure("$method failed", err)
    }
}

/** A store's or listener's exception as the generated store error: `<what>: <class>: <message>`. */
internal fun foreignFailure(what: String, err: Throwable): NativeException {
    val message = err.message?.let { "${err.javaClass.name}: $it" } ?: err.javaClass.name
    val info = NativeInfo(
        kind = NativeKind.STORE, message = "$what: $message", isRetryable = false,
        httpStatus = null, operatorStatus = null, retryAfterMs = null,
    )
    return NativeException.Store(info)
}
