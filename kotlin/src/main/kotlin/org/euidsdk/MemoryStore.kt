package org.euidsdk

/**
 * A thread-safe in-memory [IdentityStore], optionally bounded: beyond [maxUsers] users the one
 * stored first is evicted (its identity and its marker). For one server process, tests and
 * demos; several servers need a shared store (a database, Redis).
 *
 * [IdentityManager] without a store uses an equivalent store inside the native library, which
 * costs no calls into the JVM; use this class to bound the store or to look into it.
 *
 * @param maxUsers the most users kept, at least 1; null (the default) keeps every user.
 * @throws IllegalArgumentException [maxUsers] is less than 1.
 */
class MemoryStore @JvmOverloads constructor(val maxUsers: Int? = null) : IdentityStore {
    init {
        require(maxUsers == null || maxUsers >= 1) { "maxUsers must be at least 1, not $maxUsers" }
    }

    private class Entry(var identityJson: String? = null, var optedOut: Boolean = false)

    /** Users in insertion order, so the first is the oldest. Guarded by itself. */
    private val entries = LinkedHashMap<String, Entry>()

    /** The number of users with an identity or an opt-out marker. */
    val size: Int get() = synchronized(entries) { entries.size }

    override fun load(user: String): String? = synchronized(entries) { entries[user]?.identityJson }

    override fun save(user: String, identityJson: String) = update(user) { it.identityJson = identityJson }

    override fun delete(user: String) = update(user) { it.identityJson = null }

    override fun isOptedOut(user: String): Boolean = synchronized(entries) { entries[user]?.optedOut == true }

    override fun setOptedOut(user: String) = update(user) { it.optedOut = true }

    /** Removes every user. */
    fun clear() {
        synchronized(entries) { entries.clear() }
    }

    private inline fun update(user: String, change: (Entry) -> Unit) {
        synchronized(entries) {
            val entry = entries[user] ?: Entry().also {
                if (maxUsers != null) {
                    val oldest = entries.keys.iterator()
                    while (entries.size >= maxUsers && oldest.hasNext()) {
                        oldest.next()
                        oldest.remove()
                    }
                }
                entries[user] = it
            }
            change(entry)
            if (entry.identityJson == null && !entry.optedOut) entries.remove(user)
        }
    }

    /** Counts only: never an identity. */
    override fun toString(): String = "MemoryStore(size=$size, maxUsers=$maxUsers)"
}
