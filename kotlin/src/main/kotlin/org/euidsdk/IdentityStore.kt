package org.euidsdk

import java.util.logging.Level
import java.util.logging.Logger
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
 *   [StoreException] whose message names the exception's class and message (with the identity,
 *   its tokens and the user key cut out), and the identity stays as the store last held it.
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

/** The SDK's logger, where store failures go at `FINE`. */
private val logger: Logger = Logger.getLogger(LOGGER_NAME)

/**
 * A public [IdentityStore] seen as the generated foreign trait. Every exception becomes the
 * generated store error, whose message never contains identity JSON or the user key.
 */
internal class StoreAdapter(private val store: IdentityStore) : NativeStore {
    override fun load(user: String): String? = guard("load", user) { store.load(user) }

    override fun save(user: String, identityJson: String) =
        guard("save", user, identityJson) { store.save(user, identityJson) }

    override fun delete(user: String) = guard("delete", user) { store.delete(user) }

    override fun isOptedOut(user: String): Boolean = guard("isOptedOut", user) { store.isOptedOut(user) }

    override fun setOptedOut(user: String) = guard("setOptedOut", user) { store.setOptedOut(user) }

    /** Runs [call]; a failure becomes the generated store error. */
    private inline fun <T> guard(method: String, user: String, identityJson: String? = null, call: () -> T): T = try {
        call()
    } catch (err: Throwable) {
        val detail = describe(method, err, user, identityJson)
        // The store's own message may quote the identity or the user key (an email): log the
        // redacted text, with the stack trace of where the store failed.
        logger.log(Level.FINE, "the identity store's $detail", StoreFailure(detail, err.stackTrace))
        // Thrown into the generated callback code, which hands it to Rust as `EuidError::Store`.
        throw NativeException.Store("store", detail)
    }

    override fun toString(): String = "StoreAdapter(${store.javaClass.name})"

    /** A store's exception, its message redacted; only logged. */
    private class StoreFailure(message: String, trace: Array<StackTraceElement>) : Exception(message) {
        init {
            stackTrace = trace
        }
    }

    private companion object {
        const val MAX_MESSAGE_CHARS = 200

        /** Values shorter than this are not redacted: they would mangle the message. */
        const val MIN_REDACTED_CHARS = 4

        /** `save failed: java.io.IOException: disk full`, without the identity JSON or user key. */
        fun describe(method: String, err: Throwable, user: String, identityJson: String?): String {
            val message = redact(if (err is StoreException) err.detail else err.message.orEmpty(), user, identityJson)
            if (err is StoreException) return message
            val cause = if (message.isEmpty()) err.javaClass.name else "${err.javaClass.name}: $message"
            return "$method failed: $cause"
        }

        /** [text] without the identity, its tokens and key, or the user key; shortened. */
        private fun redact(text: String, user: String, identityJson: String?): String {
            var message = text
            if (identityJson != null && identityJson.isNotEmpty()) {
                message = message.replace(identityJson, "<identity>")
                // A message may also quote one field, e.g. a column's value.
                val identity = runCatching { Identity.fromJson(identityJson) }.getOrNull()
                listOfNotNull(identity?.advertisingToken, identity?.refreshToken, identity?.refreshResponseKey)
                    .filter { it.length >= MIN_REDACTED_CHARS }
                    .forEach { message = message.replace(it, "<redacted>") }
            }
            if (user.length >= MIN_REDACTED_CHARS) message = message.replace(user, "<user>")
            if (message.length > MAX_MESSAGE_CHARS) message = message.take(MAX_MESSAGE_CHARS) + "..."
            return message
        }
    }
}
