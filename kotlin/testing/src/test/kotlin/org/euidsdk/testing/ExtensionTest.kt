package org.euidsdk.testing

import java.net.ConnectException
import java.net.Socket
import java.net.URI
import org.euidsdk.Dii
import org.euidsdk.GenerateResult
import org.euidsdk.PublisherClient
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.extension.ExtendWith
import org.junit.platform.engine.discovery.DiscoverySelectors.selectClass
import org.junit.platform.testkit.engine.EngineTestKit

/** [EuidEmulatorExtension], run by the JUnit engine itself on [Probe]. */
class ExtensionTest {
    @Test
    fun `one emulator per class, injected everywhere, reset before each test, stopped after the class`() {
        Probe.seen.clear()
        val results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Probe::class.java)).execute()
        results.testEvents().assertStatistics { it.started(2).succeeded(2).failed(0) }
        assertEquals(1, Probe.seen.toSet().size, "every injection gave the same emulator")
        val emulator = Probe.seen.first()
        assertEquals(EmulatorException.Kind.NOT_RUNNING, assertThrows<EmulatorException> { emulator.counters() }.kind)
        assertThrows<ConnectException> { Socket("127.0.0.1", URI.create(emulator.url).port).close() }
    }

    @Test
    fun `a parameter of another type is left to other resolvers`() {
        val results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Unresolved::class.java)).execute()
        results.testEvents().assertStatistics { it.started(1).failed(1) }
    }

    /** Run only through [EngineTestKit] (a nested class: not picked up by Surefire itself). */
    @ExtendWith(EuidEmulatorExtension::class)
    class Probe(private val fromConstructor: EuidEmulator) {
        private lateinit var fromSetUp: EuidEmulator

        @BeforeEach
        fun setUp(emulator: EuidEmulator) {
            fromSetUp = emulator
        }

        @Test
        fun first(emulator: EuidEmulator) = check(emulator)

        @Test
        fun second(emulator: EuidEmulator) = check(emulator)

        /** Both tests generate once, so whichever runs second sees the reset. */
        private fun check(emulator: EuidEmulator) {
            assertSame(fromConstructor, emulator)
            assertSame(fromSetUp, emulator)
            seen += emulator
            assertEquals(0, emulator.counters().generate.requests)
            PublisherClient(emulator.url, emulator.apiKey, emulator.clientSecret).use { client ->
                assertInstanceOf(GenerateResult.Success::class.java, client.generateTokenBlocking(Dii.email("jane@example.com")))
            }
            assertEquals(1, emulator.counters().generate.requests)
        }

        companion object {
            val seen = mutableListOf<EuidEmulator>()
        }
    }

    @ExtendWith(EuidEmulatorExtension::class)
    class Unresolved {
        @Test
        fun needsAString(text: String) = assertNotNull(text)
    }
}
