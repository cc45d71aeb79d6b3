package org.euidsdk

import org.euidsdk.internal.MemoryStore as NativeStore

/**
 * A thread-safe in-memory [IdentityStore], optionally bounded: beyond [maxUsers] users the one
 * stored first is evicted (its identity and its marker). For one server process, tests and
 * demos; several servers need a shared store (a database, Redis).
 *
 * It is the native library's own store: an [IdentityManager] over it makes no call into the JVM.
 * Its methods take and give identity JSON, which [save] checks. Close it ([AutoCloseable]) to
 * free it before it is collected; managers built on it keep it.
 *
 * @param maxUsers the most users kept, at least 1; null (the default) keeps every user.
 * @throws InvalidInputException [maxUsers] is less than 1.
 */
class MemoryStore @JvmOverloads @Throws(EuidException::class) constructor(maxUsers: Int? = null) :
    IdentityStore, AutoCloseable {
    internal val inner: NativeStore = native { NativeStore(maxUsers?.let { it.coerceAtLeast(0).toULong() }) }

    /** The most users kept, or null for no bound. */
    val maxUsers: Int? get() = inner.maxUsers()?.let { it.coerceAtMost(Int.MAX_VALUE.toULong()).toInt() }

    /** The number of users with an identity or an opt-out marker. */
    val size: Int get() = native { inner.len() }.coerceAtMost(Int.MAX_VALUE.toULong()).toInt()

    @Throws(EuidException::class)
    override fun load(user: String): String? = native { inner.load(user) }

    /** @throws InvalidIdentityException [identityJson] is not an identity. */
    @Throws(EuidException::class)
    override fun save(user: String, identityJson: String) = native { inner.save(user, identityJson) }

    @Throws(EuidException::class)
    override fun delete(user: String) = native { inner.delete(user) }

    @Throws(EuidException::class)
    override fun isOptedOut(user: String): Boolean = native { inner.isOptedOut(user) }

    @Throws(EuidException::class)
    override fun setOptedOut(user: String) = native { inner.setOptedOut(user) }

    /** Frees the store; later calls throw [ClientClosedException]. */
    override fun close() = inner.closeTarget()

    /** Counts only: never an identity. */
    override fun toString(): String = "MemoryStore(size=$size, maxUsers=$maxUsers)"
}
