package org.euidsdk.testing

import java.net.ConnectException
import java.net.Socket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import org.euidsdk.Dii
import org.euidsdk.GenerateResult
import org.euidsdk.PublisherClient
import org.euidsdk.RefreshResult
import org.euidsdk.ServerErrorException
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/** [EuidEmulator] against the SDK itself: start and stop, settings, and every control. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EuidEmulatorTest {
    private val emulator = EuidEmulator.start()
    private val client = PublisherClient(emulator.url, emulator.apiKey, emulator.clientSecret, maxRetries = 0)

    @BeforeEach
    fun reset() = emulator.reset()

    @AfterAll
    fun stop() {
        client.close()
        emulator.close()
    }

    private fun generate(email: String = "jane.doe@example.com") = client.generateTokenBlocking(Dii.email(email))

    private fun port(url: String) = URI.create(url).port

    @Test
    fun `it serves on loopback with random credentials until closed`() {
        val other = EuidEmulator.start()
        assertTrue(other.url.startsWith("http://127.0.0.1:"), other.url)
        assertTrue(other.apiKey.startsWith("EUID-emulator-"))
        assertEquals(44, other.clientSecret.length)
        assertFalse(other.clientSecret == emulator.clientSecret)
        PublisherClient(other.url, other.apiKey, other.clientSecret).use { client ->
            assertInstanceOf(GenerateResult.Success::class.java, client.generateTokenBlocking(Dii.email("jane@example.com")))
        }
        other.close()
        assertThrows<ConnectException> { Socket("127.0.0.1", port(other.url)).close() }
        other.close() // again: nothing happens
        val closed = assertThrows<EmulatorException> { other.counters() }
        assertEquals(EmulatorException.Kind.NOT_RUNNING, closed.kind)
        assertTrue(other.toString().endsWith("closed)"), other.toString())
    }

    @Test
    fun `the builder's settings are used`() {
        val secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        EuidEmulator.builder()
            .apiKey("publisher-test-key").clientSecret(secret)
            .identityLifetimeMs(600_000).refreshLifetimeMs(1_200_000).refreshFromMs(60_000)
            .dateHeader(true)
            .start().use { custom ->
                assertEquals("publisher-test-key", custom.apiKey)
                assertEquals(secret, custom.clientSecret)
                assertTrue(custom.clock().dateHeader)
                PublisherClient(custom.url, "publisher-test-key", secret).use { client ->
                    val identity = (client.generateTokenBlocking(Dii.email("jane@example.com")) as GenerateResult.Success).identity
                    assertEquals(540_000, identity.identityExpires - identity.refreshFrom)
                    assertEquals(600_000, identity.refreshExpires - identity.identityExpires)
                }
            }
    }

    @Test
    fun `invalid settings are config errors that name the rule, never the value`() {
        val cases = mapOf(
            EuidEmulator.builder().refreshFromMs(2_000).identityLifetimeMs(1_000) to
                "invalid emulator configuration: refresh_from_ms must not exceed identity_lifetime_ms",
            EuidEmulator.builder().clientSecret("c2VjcmV0") to
                "invalid emulator configuration: configuration error: the client secret must decode to 32 bytes, got 6",
            EuidEmulator.builder().apiKey("two words") to
                "invalid emulator configuration: the API key must be non-empty visible ASCII",
            EuidEmulator.builder().tcfVendorId(70_000) to
                "invalid emulator configuration: invalid value: integer `70000`, expected u16",
            EuidEmulator.builder().apiKey("\uD800") to
                "invalid emulator configuration: unexpected end of hex escape",
        )
        for ((builder, message) in cases) {
            val err = assertThrows<EmulatorException> { builder.start() }
            assertEquals(EmulatorException.Kind.CONFIG, err.kind)
            assertTrue(err.message!!.startsWith(message), err.message)
        }
    }

    @Test
    fun `the clock moves, freezes and ticks again`() {
        val frozen = emulator.freezeClockAt(1_900_000_000_000)
        assertEquals(EmulatorClock(1_900_000_000_000, frozen.offsetMs, isFrozen = true, dateHeader = false), frozen)
        Thread.sleep(5)
        assertEquals(1_900_000_000_000, emulator.clock().nowMs)
        assertEquals(1_900_000_001_000, emulator.advanceClockMs(1_000).nowMs)
        assertFalse(emulator.unfreezeClock().isFrozen)
        val set = emulator.setNowMs(2_000_000_000_000)
        assertTrue(set.nowMs in 2_000_000_000_000..2_000_000_060_000)
        emulator.reset()
        assertTrue(kotlin.math.abs(emulator.clock().offsetMs) < 1_000)
    }

    @Test
    fun `the SDK sees the emulator's clock`() {
        val identity = (generate() as GenerateResult.Success).identity
        emulator.advanceClockMs(31L * 24 * 3_600_000) // past refresh_expires
        assertEquals(RefreshResult.ExpiredToken, client.refreshTokenBlocking(identity))
    }

    @Test
    fun `opt-outs answer optout and bad identities are refused`() {
        emulator.optOutEmail("Jane.Doe@example.com")
        assertEquals(GenerateResult.OptOut, generate())
        emulator.optOutPhone("+33612345678")
        assertEquals(GenerateResult.OptOut, client.generateTokenBlocking(Dii.phone("+33612345678")))
        emulator.optOutEmailHash(org.euidsdk.hashEmail("hash@example.com"))
        assertEquals(GenerateResult.OptOut, generate("hash@example.com"))
        emulator.optOutPhoneHash(org.euidsdk.hashPhone("+33687654321"))
        assertEquals(GenerateResult.OptOut, client.generateTokenBlocking(Dii.phone("+33687654321")))
        val err = assertThrows<EmulatorException> { emulator.optOutEmail("not an email") }
        assertEquals(EmulatorException.Kind.CONTROL, err.kind)
        assertEquals("POST /emulator/optout: the identity does not normalize", err.message)
        emulator.reset()
        assertInstanceOf(GenerateResult.Success::class.java, generate())
    }

    @Test
    fun `faults are injected, listed with their counts, and cleared`() {
        val outage = Fault.status(503).on(FaultEndpoint.GENERATE).retryAfter(2).times(1)
        val page = Fault.status(500).withBody(mapOf("status" to "unknown", "message" to "down")).on(FaultEndpoint.REFRESH)
        emulator.setFaults(outage, page)
        assertEquals(listOf(outage, page), emulator.faults())
        val err = assertThrows<ServerErrorException> { generate() }
        assertEquals(503, err.httpStatus)
        assertEquals(listOf(page), emulator.faults()) // the 503 was used up
        assertInstanceOf(GenerateResult.Success::class.java, generate())
        emulator.clearFaults()
        assertEquals(emptyList<Fault>(), emulator.faults())
        val refused = assertThrows<IllegalArgumentException> { Fault.close().retryAfter(1) }
        assertEquals("only a status fault has Retry-After", refused.message)
        val impossible = assertThrows<EmulatorException> { emulator.setFaults(Fault.html().withProbability(2.0)) }
        assertEquals(EmulatorException.Kind.CONTROL, impossible.kind)
        assertEquals("POST /emulator/faults: invalid control request: probability must be between 0 and 1", impossible.message)
    }

    @Test
    fun `counters count requests and outcomes until reset`() {
        generate()
        emulator.optOutEmail("gone@example.com")
        generate("gone@example.com")
        val counters = emulator.counters()
        assertEquals(2, counters.generate.requests)
        assertEquals(1, counters.generate.outcome("success"))
        assertEquals(1, counters.generate.outcome("optout"))
        assertEquals(0, counters.generate.outcome("client_error"))
        assertEquals(EndpointCounts(0, emptyMap()), counters.refresh)
        emulator.reset()
        assertEquals(0, emulator.counters().generate.requests)
    }

    @Test
    fun `a Date header is added on request`() {
        val http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
        fun date() = http.send(
            HttpRequest.newBuilder(URI.create("${emulator.url}/ops/healthcheck")).build(),
            HttpResponse.BodyHandlers.ofString(),
        ).headers().firstValue("date")
        assertFalse(date().isPresent)
        assertTrue(emulator.setDateHeader(true).dateHeader)
        assertTrue(date().isPresent)
        emulator.reset()
        assertFalse(date().isPresent)
    }

    @Test
    fun `toString never shows the credentials`() {
        val text = emulator.toString()
        assertEquals("EuidEmulator(url=${emulator.url}, running)", text)
        assertFalse(text.contains(emulator.apiKey) || text.contains(emulator.clientSecret))
    }
}
