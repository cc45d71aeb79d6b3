package org.euidsdk

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** [MemoryStore] on its own: the marker rules, the bound, thread safety. */
class MemoryStoreTest {
    @Test
    fun `delete keeps the opt-out marker`() {
        val store = MemoryStore()
        store.save("u", "{}")
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
        store.save("u", "{}")
        store.delete("u")
        assertEquals(0, store.size)
    }

    @Test
    fun `a bounded store evicts the oldest user`() {
        val store = MemoryStore(maxUsers = 2)
        for (user in listOf("a", "b", "c")) store.save(user, user)
        assertNull(store.load("a"))
        assertEquals("c", store.load("c"))
        store.save("b", "b2") // replacing keeps b's place
        assertEquals(2, store.size)
        store.save("d", "d")
        assertNull(store.load("b"))
        assertEquals("MemoryStore(size=2, maxUsers=2)", store.toString())
        assertThrows<IllegalArgumentException> { MemoryStore(0) }
    }

    @Test
    fun `many threads write without losing a user`() {
        val store = MemoryStore()
        val pool = Executors.newFixedThreadPool(8)
        try {
            (0 until 8).map { thread ->
                pool.submit {
                    repeat(500) { store.save("user-$thread-$it", "{}") }
                    repeat(250) { store.delete("user-$thread-$it") }
                }
            }.forEach { it.get(30, TimeUnit.SECONDS) }
        } finally {
            pool.shutdownNow()
        }
        assertEquals(8 * 250, store.size)
    }
}
