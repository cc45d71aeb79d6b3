package org.euidsdk

import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.extension.RegisterExtension
import org.junit.jupiter.api.fail

/** The door itself: its operation codes, its one completion thread, cancellation, nesting. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoorTest {
    @JvmField
    @RegisterExtension
    val server = SharedEmulator()
    private val emulator: Emulator get() = server.emulator

    @Test
    fun `a library without an operation fails at class load, naming both versions`() {
        val names = Op.entries.map { it.name.lowercase() }
        val codes = Door.resolve(listOf("something_else") + names.reversed())
        assertEquals(Op.entries.map { names.size - it.ordinal }, codes.toList())
        val err = assertThrows<IllegalStateException> { Door.resolve(names - "client_refresh") }
        val message = err.message ?: fail("no message")
        assertTrue(message.contains("[client_refresh]"), message)
        assertTrue(message.contains(CLIENT_VERSION) && message.contains("UniFFI 0.32.2"), message)
    }

    @Test
    fun `a thousand concurrent suspend calls each complete once, on the completion thread`() {
        val threads = Collections.synchronizedSet(mutableSetOf<String>())
        val completions = ConcurrentHashMap<Int, AtomicInteger>()
        val results = emulator.client().use { client ->
            runBlocking {
                // Unconfined: each call resumes on the thread that completed it.
                withContext(Dispatchers.Unconfined) {
                    (0 until 1_000).map { call ->
                        async {
                            val result = client.generateToken(Dii.email("user$call@example.com"))
                            threads += Thread.currentThread().name.substringBefore(" @") // no debug suffix
                            completions.computeIfAbsent(call) { AtomicInteger() }.incrementAndGet()
                            result
                        }
                    }.awaitAll()
                }
            }
        }
        assertEquals(setOf("euid-sdk-completions"), threads)
        assertEquals(1_000, completions.size)
        assertTrue(completions.values.all { it.get() == 1 })
        assertEquals(1_000, results.map { it.identity?.advertisingToken ?: fail("expected a success, got $it") }.toSet().size)
        assertEquals(1_000, emulator.requests("generate"))
        assertEquals(0, Completions.expected)
    }

    @Test
    fun `a cancelled suspend call is forgotten at once and its late result dropped`() {
        emulator.faults(mapOf("endpoint" to "generate", "kind" to "latency", "latency_ms" to 300, "count" to 1))
        emulator.client().use { client ->
            runBlocking {
                val expected = Completions.expected
                assertNull(withTimeoutOrNull(50) { client.generateToken(Dii.email("slow@example.com")) })
                assertEquals(expected, Completions.expected, "the cancelled call is still expected")
                delay(600) // its result has come and gone
                assertTrue(client.generateToken(Dii.email("after@example.com")).isSuccess)
                assertEquals(expected, Completions.expected)
            }
        }
        assertEquals(2, emulator.requests("generate"))
    }

    @Test
    fun `a store may call the SDK inside a manager call on the same thread`() {
        val inner = MemoryStore()
        val hashes = Collections.synchronizedList(mutableListOf<String>())
        val store = object : IdentityStore by inner {
            override fun load(user: String): String? {
                hashes += hashEmail("$user@example.com") // a door call inside a door call
                return inner.load(user)
            }
        }
        emulator.client().use { client ->
            IdentityManager(client, store).use { manager ->
                manager.establishBlocking("alice", Dii.email("alice@example.com"))
                assertEquals(IdentityStatus.ESTABLISHED, manager.status("alice"))
                assertNotNull(manager.identity("alice"))
            }
        }
        assertTrue(hashes.isNotEmpty())
        assertTrue(hashes.all { it == hashEmail("alice@example.com") })
    }
}
