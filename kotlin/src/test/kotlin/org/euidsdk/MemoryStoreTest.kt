package org.euidsdk

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** [MemoryStore] (the native library's) on its own: the marker rules, the bound, thread safety. */
class MemoryStoreTest {
    /** A distinct identity's JSON for each [tag]. */
    private fun json(tag: String) = Identity("AT-$tag", "RT-$tag", 3, 2, 4).toJson()

    @Test
    fun `delete keeps the opt-out marker`() {
        val store = MemoryStore()
        store.save("u", json("u"))
        assertEquals(json("u"), store.load("u"))
        store.setOptedOut("u")
        store.delete("u")
        assertNull(store.load("u"))
        assertTrue(store.isOptedOut("u"))
        assertEquals(1, store.size)
        store.delete("nobody")
        assertFalse(store.isOptedOut("nobody"))
        assertEquals(1, store.size)
    }

    @Test
    fun `a user with neither an identity nor a marker takes no room`() {
        val store = MemoryStore()
        store.save("u", json("u"))
        store.delete("u")
        assertEquals(0, store.size)
    }

    @Test
    fun `a bounded store evicts the oldest user`() {
        val store = MemoryStore(maxUsers = 2)
        for (user in listOf("a", "b", "c")) store.save(user, json(user))
        assertNull(store.load("a"))
        assertEquals(json("c"), store.load("c"))
        store.save("b", json("b2")) // replacing keeps b's place
        assertEquals(2, store.size)
        store.save("d", json("d"))
        assertNull(store.load("b"))
        assertEquals(2, store.maxUsers)
        assertEquals("MemoryStore(size=2, maxUsers=2)", store.toString())
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows<InvalidInputException> { MemoryStore(0) }.kind)
        assertThrows<InvalidInputException> { MemoryStore(-1) }
    }

    @Test
    fun `a closed store refuses calls`() {
        val store = MemoryStore()
        store.close()
        assertEquals(ErrorKind.CLOSED, assertThrows<ClientClosedException> { store.load("u") }.kind)
    }

    @Test
    fun `many threads write without losing a user`() {
        val store = MemoryStore()
        val identity = json("x")
        val pool = Executors.newFixedThreadPool(8)
        try {
            (0 until 8).map { thread ->
                pool.submit {
                    repeat(500) { store.save("user-$thread-$it", identity) }
                    repeat(250) { store.delete("user-$thread-$it") }
                }
            }.forEach { it.get(30, TimeUnit.SECONDS) }
        } finally {
            pool.shutdownNow()
        }
        assertEquals(8 * 250, store.size)
    }
}
