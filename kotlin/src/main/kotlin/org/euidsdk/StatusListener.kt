package org.euidsdk

import org.euidsdk.internal.IdentityStatus as NativeStatus
import org.euidsdk.internal.StatusListener as NativeListener

/**
 * Hears every status change [IdentityManager] causes, e.g. to count opt-outs or log refreshes.
 * A Kotlin or Java lambda will do:
 *
 * ```java
 * IdentityManager manager = new IdentityManager(client, store, null,
 *     (user, oldStatus, newStatus) -> metrics.count("euid." + newStatus));
 * ```
 *
 * It is called on the SDK's threads (or the caller's, for `logout`), after the store was
 * written, so it should be quick and must not call the manager's blocking methods. An exception
 * it throws is logged (logger `org.euidsdk`, level `WARNING`, its class and its message without
 * the user key) and otherwise ignored.
 */
fun interface StatusListener {
    /**
     * [user]'s identity went from [old] to [new] (they always differ).
     *
     * @param user the publisher's user key, as given to the manager.
     */
    fun statusChanged(user: String, old: IdentityStatus, new: IdentityStatus)
}

/** A public [StatusListener] seen as the generated foreign trait; its exceptions go to the library. */
internal class ListenerAdapter(private val listener: StatusListener) : NativeListener {
    override fun statusChanged(user: String, old: NativeStatus, new: NativeStatus) {
        try {
            listener.statusChanged(user, IdentityStatus.of(old), IdentityStatus.of(new))
        } catch (err: Throwable) {
            throw foreignFailure("statusChanged failed", err)
        }
    }

    override fun toString(): String = "ListenerAdapter(${listener.javaClass.name})"
}
