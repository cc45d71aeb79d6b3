package org.euidsdk

import java.io.File
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The SDK's one native runtime per process (`core/src/runtime.rs`), shared by everything the JVM
 * throws at it: 64 threads for 10 seconds, half of them making blocking calls and half suspend
 * calls (in `runBlocking` on the thread itself, or moved to `Dispatchers.Default`), generating,
 * refreshing and asking one shared [IdentityManager] for tokens. Every call must succeed within
 * the client's deadline: a correctness check that no caller starves, not a speed target. The
 * call count and the latencies go to the test output.
 */
class RuntimeSharingTest {
    /** How a thread calls: the blocking forms, or the suspend forms on its own or the default dispatcher. */
    private enum class Style { BLOCKING, SUSPEND_ON_THREAD, SUSPEND_ON_DEFAULT }

    private enum class Kind { GENERATE, REFRESH, TOKEN }

    private class Sample(val kind: Kind, val style: Style, val nanos: Long)

    @Test
    fun `sixty-four threads share the runtime and every call succeeds within its deadline`() {
        val samples = ConcurrentLinkedQueue<Sample>()
        val failures = ConcurrentLinkedQueue<String>()
        var refreshRequests = 0L
        Emulator.start().use { emulator ->
            OffsetClock().use { managerClock ->
                emulator.client(timeout = Duration.ofSeconds(2), deadline = DEADLINE, maxRetries = 2).use { client ->
                    // The manager's clock runs an hour ahead, so every token is due and each call refreshes.
                    managerClock.advanceMs(HOUR_MS + 1_000)
                    IdentityManager(client, MemoryStore(), managerClock).use { manager ->
                        repeat(USERS) { user ->
                            val result = manager.establishBlocking("user-$user", Dii.email("user$user@example.com"))
                            check(result.isSuccess) { "establish answered $result" }
                        }
                        val start = CountDownLatch(1)
                        val stopAt = System.nanoTime() + RUN.toNanos()
                        val threads = (0 until THREADS).map { index ->
                            val style = Style.entries[if (index % 2 == 0) 0 else 1 + (index / 2) % 2]
                            Thread({
                                start.await()
                                try {
                                    Worker(index, style, client, manager, samples, failures).run(stopAt)
                                } catch (err: Throwable) {
                                    failures += "thread $index ($style): $err"
                                }
                            }, "caller-$index")
                        }
                        threads.forEach(Thread::start)
                        start.countDown()
                        threads.forEach { it.join(RUN.plus(DEADLINE).plusSeconds(30).toMillis()) }
                        assertTrue(threads.none(Thread::isAlive), "a thread did not finish")
                        refreshRequests = emulator.requests("refresh")
                    }
                }
            }
        }

        val all = samples.toList()
        println(report(all, refreshRequests))
        assertTrue(failures.isEmpty(), "${failures.size} failed calls, e.g.\n  ${failures.take(10).joinToString("\n  ")}")
        val slowest = all.maxOf { it.nanos }
        assertTrue(slowest < DEADLINE.toNanos(), "a call took ${slowest / 1_000_000} ms, past the ${DEADLINE.toMillis()} ms deadline")
        // The manager refreshed too: more refresh requests than the client's own refresh calls.
        assertTrue(refreshRequests > all.count { it.kind == Kind.REFRESH }, "the manager made no refresh request")
        for (kind in Kind.entries) {
            for (style in Style.entries) {
                assertTrue(all.any { it.kind == kind && it.style == style }, "no $kind call made in the $style style")
            }
        }
    }

    /** One thread's loop: generate, refresh its last identity, ask the manager for a token. */
    private class Worker(
        private val index: Int,
        private val style: Style,
        private val client: PublisherClient,
        private val manager: IdentityManager,
        private val samples: ConcurrentLinkedQueue<Sample>,
        private val failures: ConcurrentLinkedQueue<String>,
    ) {
        private var identity: Identity? = null
        private var round = 0

        fun run(stopAt: Long) {
            while (System.nanoTime() < stopAt) {
                val kind = Kind.entries[round % Kind.entries.size]
                round += 1
                val started = System.nanoTime()
                val problem = try {
                    when (style) {
                        Style.BLOCKING -> callBlocking(kind)
                        Style.SUSPEND_ON_THREAD -> runBlocking { callSuspend(kind) }
                        Style.SUSPEND_ON_DEFAULT -> runBlocking { withContext(Dispatchers.Default) { callSuspend(kind) } }
                    }
                } catch (err: EuidException) {
                    "${err.javaClass.simpleName} (${err.kind}): ${err.message}"
                }
                samples += Sample(kind, style, System.nanoTime() - started)
                if (problem != null) failures += "thread $index ($style) $kind: $problem"
            }
        }

        private val dii get() = Dii.email("thread$index.round$round@example.com")
        private val user get() = "user-${(index + round) % USERS}"

        /** Null if the call succeeded, else what went wrong. */
        private fun callBlocking(kind: Kind): String? = when (kind) {
            Kind.GENERATE -> generated(client.generateTokenBlocking(dii))
            Kind.REFRESH -> identity.let { if (it == null) "no identity to refresh" else refreshed(client.refreshTokenBlocking(it)) }
            Kind.TOKEN -> token(manager.advertisingTokenBlocking(user))
        }

        private suspend fun callSuspend(kind: Kind): String? = when (kind) {
            Kind.GENERATE -> generated(client.generateToken(dii))
            Kind.REFRESH -> identity.let { if (it == null) "no identity to refresh" else refreshed(client.refreshToken(it)) }
            Kind.TOKEN -> token(manager.advertisingToken(user))
        }

        private fun generated(result: GenerateResult): String? {
            identity = result.identity ?: return "generate answered $result"
            return null
        }

        private fun refreshed(result: RefreshResult): String? {
            identity = result.identity ?: return "refresh answered $result"
            return null
        }

        private fun token(answer: TokenAnswer): String? = if (answer is TokenAnswer.Token) null else "the manager answered $answer"
    }

    private fun report(samples: List<Sample>, refreshRequests: Long): String = buildString {
        appendLine(
            "RuntimeSharingTest: $THREADS threads for ${RUN.seconds} s, ${samples.size} calls " +
                "(${samples.size / RUN.seconds} per second); latency in ms",
        )
        fun line(label: String, group: List<Sample>) {
            val sorted = group.map { it.nanos }.sorted()
            fun pct(p: Double) = sorted[((sorted.size - 1) * p).toInt()] / 1e6
            appendLine(
                "  %-32s %7d calls  p50 %7.1f  p99 %7.1f  max %7.1f".format(label, sorted.size, pct(0.5), pct(0.99), sorted.last() / 1e6),
            )
        }
        line("all", samples)
        samples.groupBy { it.kind }.toSortedMap().forEach { (kind, group) -> line(kind.name.lowercase(), group) }
        samples.groupBy { it.style }.toSortedMap().forEach { (style, group) -> line(style.name.lowercase(), group) }
        appendLine("  refresh requests the emulator counted (the client's and the manager's): $refreshRequests")
        append("  native threads named euid-sdk (runtime workers and blocking pool): ${sdkThreads()}")
    }

    /** The process's native threads the SDK runtime named `euid-sdk` (workers and blocking pool). */
    private fun sdkThreads(): Int =
        File("/proc/self/task").listFiles()?.count { task ->
            runCatching { File(task, "comm").readText().trim() == "euid-sdk" }.getOrDefault(false)
        } ?: -1

    private companion object {
        const val THREADS = 64
        const val USERS = 64
        const val HOUR_MS = 60 * 60 * 1_000L
        val RUN: Duration = Duration.ofSeconds(10)
        val DEADLINE: Duration = Duration.ofSeconds(5)

        init {
            check(THREADS % 4 == 0)
        }
    }
}
