package org.euidsdk.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.euidsdk.Dii;
import org.euidsdk.EuidException;
import org.euidsdk.GenerateResult;
import org.euidsdk.PublisherClient;
import org.euidsdk.RefreshResult;
import org.euidsdk.ServerErrorException;
import org.euidsdk.testing.EuidEmulator;
import org.euidsdk.testing.EuidEmulatorExtension;
import org.euidsdk.testing.Fault;
import org.euidsdk.testing.FaultEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A publisher's own tests of its EUID integration, with the emulator the extension injects. */
@ExtendWith(EuidEmulatorExtension.class)
class SignInTest {
    private static final long DAY_MS = 24L * 3_600_000;

    private static PublisherClient client(EuidEmulator emulator) throws EuidException {
        return new PublisherClient(emulator.getUrl(), emulator.getApiKey(), emulator.getClientSecret(),
            Duration.ofSeconds(5), Duration.ofSeconds(15), 0);
    }

    @Test
    void signInGetsAToken(EuidEmulator emulator) throws EuidException {
        try (PublisherClient client = client(emulator)) {
            GenerateResult result = client.generateTokenBlocking(Dii.email("jane.doe@example.com"));
            assertInstanceOf(GenerateResult.Success.class, result);
        }
        assertEquals(1, emulator.counters().getGenerate().outcome("success"));
    }

    @Test
    void anOptedOutUserGetsNoToken(EuidEmulator emulator) throws EuidException {
        emulator.optOutEmail("jane.doe@example.com");
        try (PublisherClient client = client(emulator)) {
            assertInstanceOf(GenerateResult.OptOut.class, client.generateTokenBlocking(Dii.email("jane.doe@example.com")));
        }
    }

    @Test
    void anOutageIsAServerError(EuidEmulator emulator) throws EuidException {
        emulator.setFaults(Fault.status(503).on(FaultEndpoint.GENERATE).times(1));
        try (PublisherClient client = client(emulator)) {
            assertThrows(ServerErrorException.class, () -> client.generateTokenBlocking(Dii.email("jane.doe@example.com")));
            assertInstanceOf(GenerateResult.Success.class, client.generateTokenBlocking(Dii.email("jane.doe@example.com")));
        }
        assertEquals(2, emulator.counters().getGenerate().getRequests()); // earlier tests' requests were reset
    }

    @Test
    void aMonthLaterTheRefreshTokenHasExpired(EuidEmulator emulator) throws EuidException {
        try (PublisherClient client = client(emulator)) {
            GenerateResult.Success signedIn =
                (GenerateResult.Success) client.generateTokenBlocking(Dii.email("jane.doe@example.com"));
            emulator.advanceClockMs(31 * DAY_MS);
            assertInstanceOf(RefreshResult.ExpiredToken.class, client.refreshTokenBlocking(signedIn.getIdentity()));
        }
    }
}
