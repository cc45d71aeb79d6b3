package org.euidsdk.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.euidsdk.Advice;
import org.euidsdk.BrowserIdentity;
import org.euidsdk.ClientClosedException;
import org.euidsdk.Cookie;
import org.euidsdk.Cookies;
import org.euidsdk.Dii;
import org.euidsdk.ErrorKind;
import org.euidsdk.Euid;
import org.euidsdk.EuidException;
import org.euidsdk.GenerateResult;
import org.euidsdk.Identity;
import org.euidsdk.IdentityManager;
import org.euidsdk.IdentityStatus;
import org.euidsdk.InvalidIdentityException;
import org.euidsdk.InvalidInputException;
import org.euidsdk.Lifecycle;
import org.euidsdk.PublisherClient;
import org.euidsdk.RefreshResult;
import org.euidsdk.StatusListener;
import org.euidsdk.StoreException;
import org.euidsdk.TokenAnswer;
import org.euidsdk.UnauthorizedException;

/**
 * A plain Java consumer of the EUID SDK: it calls the public API as a Java application would
 * (blocking calls, futures, typed exceptions) against an operator, normally the local
 * emulator. It prints one line per check, never a token or credential, and exits 1 if any
 * check fails.
 *
 * <p>Usage: {@code EUID_URL=... EUID_API_KEY=... EUID_CLIENT_SECRET=... Main}
 */
public final class Main {
    private final List<String> failures = new ArrayList<>();
    private int passed;

    private Main() {
    }

    /** The operator and credentials come from EUID_URL, EUID_API_KEY and EUID_CLIENT_SECRET. */
    public static void main(String[] args) throws Exception {
        String url = System.getenv("EUID_URL");
        String apiKey = System.getenv("EUID_API_KEY");
        String clientSecret = System.getenv("EUID_CLIENT_SECRET");
        if (url == null || apiKey == null || clientSecret == null) {
            System.err.println("set EUID_URL, EUID_API_KEY and EUID_CLIENT_SECRET");
            System.exit(2);
        }
        Main main = new Main();
        main.run(url, apiKey, clientSecret);
        System.out.printf("java consumer: %d checks passed, %d failed%n", main.passed, main.failures.size());
        for (String failure : main.failures) {
            System.out.println("FAILED: " + failure);
        }
        System.exit(main.failures.isEmpty() ? 0 : 1);
    }

    private void check(boolean condition, String what) {
        if (condition) {
            passed++;
            System.out.println("ok: " + what);
        } else {
            failures.add(what);
        }
    }

    private void run(String url, String apiKey, String clientSecret) throws Exception {
        hashing();
        try (PublisherClient client = new PublisherClient(url, apiKey, clientSecret)) {
            generateAndRefresh(client);
            outcomes(client);
            futures(client);
            manager(client);
        }
        typedErrors(url, apiKey, clientSecret);
    }

    private void hashing() throws EuidException {
        String hash = Euid.hashEmail("User@Example.com");
        check(hash.equals(Euid.hashEmail("user@example.com")) && hash.length() == 44,
            "Euid.hashEmail normalizes and returns base64 SHA-256");
        check(Euid.hashEmails(List.of("a@example.com", "b@example.com")).size() == 2, "Euid.hashEmails");
        check(Euid.hashEmailsOrNull(List.of("a@example.com", "broken")).get(1) == null,
            "Euid.hashEmailsOrNull gives null for an invalid address");
        check(Euid.INTEGRATION_URL.startsWith("https://"), "Euid.INTEGRATION_URL is a field");
        try {
            Euid.hashEmail("not an email");
            check(false, "an invalid email throws");
        } catch (InvalidInputException e) {
            check(e.getKind() == ErrorKind.INVALID_EMAIL && "invalid_email".equals(e.getKind().getValue()),
                "catch (InvalidInputException e) with kind ErrorKind.INVALID_EMAIL");
        }
        try {
            Identity.fromJson("{\"advertising_token\":\"AT\"}");
            check(false, "malformed identity JSON throws");
        } catch (InvalidIdentityException e) {
            check(e.getKind() == ErrorKind.INVALID_IDENTITY, "catch (InvalidIdentityException e)");
        }
    }

    private void generateAndRefresh(PublisherClient client) throws EuidException {
        GenerateResult result = client.generateTokenBlocking(Dii.email("java.consumer@example.com"));
        if (!(result instanceof GenerateResult.Success)) {
            check(false, "generateTokenBlocking returns GenerateResult.Success (got " + result + ")");
            return;
        }
        check(result.isSuccess(), "generateTokenBlocking returns GenerateResult.Success");
        Identity identity = ((GenerateResult.Success) result).getIdentity();
        check(identity.getRefreshToken().length() == 388, "the identity has a v2 refresh token");
        check(identity.status() == IdentityStatus.ESTABLISHED && identity.status().isUsable(),
            "identity.status() is ESTABLISHED");
        check(identity.advice(Instant.now()) == Advice.USE_AS_IS, "identity.advice(Instant) is USE_AS_IS");
        check(identity.getRefreshFromAt().isAfter(Instant.now()), "Instant views of the identity");
        check(client.validateTokenBlocking(identity.getAdvertisingToken(), Dii.email("java.consumer@example.com")),
            "validateTokenBlocking");

        // Stored as JSON, read back and refreshed.
        Identity stored = Identity.fromJson(identity.toJson());
        check(stored.equals(identity), "Identity survives toJson/fromJson");
        RefreshResult refreshed = client.refreshTokenBlocking(stored);
        if (refreshed instanceof RefreshResult.Success) {
            Identity next = ((RefreshResult.Success) refreshed).getIdentity();
            check(!next.getRefreshToken().equals(identity.getRefreshToken()),
                "refreshTokenBlocking returns RefreshResult.Success with a new refresh token");
        } else {
            check(false, "refreshTokenBlocking returns RefreshResult.Success (got " + refreshed + ")");
        }

        Lifecycle lifecycle = new Lifecycle().onGenerated(result, System.currentTimeMillis());
        check(lifecycle.getStatus() == IdentityStatus.ESTABLISHED && identity.equals(lifecycle.getIdentity()),
            "Lifecycle from Java");
        lifecycle.close();
        check(IdentityStatus.fromCode(-4) == IdentityStatus.OPTOUT, "IdentityStatus.fromCode");
    }

    private void outcomes(PublisherClient client) throws EuidException {
        GenerateResult optOut = client.generateTokenBlocking(Dii.email("optout@example.com"));
        check(optOut instanceof GenerateResult.OptOut && optOut == GenerateResult.OptOut.INSTANCE,
            "opt-out is GenerateResult.OptOut");
        check(optOut.getIdentity() == null, "no identity for an opt-out");
        GenerateResult consent = client.generateTokenBlocking(Dii.email("user@example.com"),
            "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA");
        check(consent instanceof GenerateResult.InsufficientConsent, "GenerateResult.InsufficientConsent");
        Identity legacy = new Identity("x", "not-a-v2-token", 1, 1, 2);
        check(client.refreshTokenBlocking(legacy) instanceof RefreshResult.InvalidToken,
            "RefreshResult.InvalidToken for a token that is not v2");
    }

    private void futures(PublisherClient client) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            CompletableFuture<GenerateResult> future = client.generateTokenAsync(Dii.phone("+12345678901"));
            check(future.get(30, TimeUnit.SECONDS) instanceof GenerateResult.Success, "generateTokenAsync(...).get()");
        } catch (ExecutionException e) {
            check(false, "generateTokenAsync failed: " + e.getCause());
        }
        try {
            client.generateTokenAsync(Dii.email("not an email")).get(30, TimeUnit.SECONDS);
            check(false, "a failed future throws ExecutionException");
        } catch (ExecutionException e) {
            check(e.getCause() instanceof InvalidInputException,
                "a failed future's ExecutionException has the typed cause");
        }
    }

    private void manager(PublisherClient client) throws Exception {
        HashMapStore store = new HashMapStore();
        List<String> changes = Collections.synchronizedList(new ArrayList<>());
        StatusListener listener = (user, oldStatus, newStatus) -> changes.add(user + ": " + oldStatus + " -> " + newStatus);
        try (IdentityManager manager = new IdentityManager(client, store, null, listener)) {
            GenerateResult result = manager.establishBlocking("java-user", Dii.email("java.manager@example.com"));
            if (!(result instanceof GenerateResult.Success)) {
                check(false, "IdentityManager.establishBlocking returns GenerateResult.Success (got " + result + ")");
                return;
            }
            Identity identity = ((GenerateResult.Success) result).getIdentity();
            check(identity.toJson().equals(store.load("java-user")),
                "establishBlocking stores the identity JSON in a store written in Java");

            TokenAnswer answer = manager.advertisingTokenBlocking("java-user");
            check(answer instanceof TokenAnswer.Token
                    && ((TokenAnswer.Token) answer).getAdvertisingToken().equals(identity.getAdvertisingToken()),
                "advertisingTokenBlocking returns TokenAnswer.Token with the stored token");
            TokenAnswer viaFuture = manager.advertisingTokenAsync("java-user").get(30, TimeUnit.SECONDS);
            check(answer.equals(viaFuture), "advertisingTokenAsync(...).get()");
            check(manager.status("java-user") == IdentityStatus.ESTABLISHED, "manager.status(user)");

            Cookie cookie = Cookies.forIdentity(identity);
            check(cookie.toSetCookieHeader().startsWith(Cookies.COOKIE_NAME + "=")
                    && Cookies.parse(cookie.getValue()) instanceof BrowserIdentity.Found,
                "Cookies.forIdentity and Cookies.parse");

            GenerateResult optOut = manager.establishBlocking("java-optout", Dii.email("optout@example.com"));
            check(optOut == GenerateResult.OptOut.INSTANCE && store.isOptedOut("java-optout"),
                "an opt-out sets the marker in the Java store");
            check(manager.advertisingTokenBlocking("java-optout") == TokenAnswer.OptedOut.INSTANCE,
                "TokenAnswer.OptedOut.INSTANCE for an opted-out user");

            manager.logout("java-user");
            TokenAnswer after = manager.advertisingTokenBlocking("java-user");
            check(after == TokenAnswer.NoIdentity.INSTANCE && after.getNeedsLogin() && store.load("java-user") == null,
                "logout deletes the identity; the answer needs a login");

            store.failSaves(true);
            try {
                manager.establishBlocking("java-fail", Dii.email("java.fail@example.com"));
                check(false, "a store that throws IOException fails the call");
            } catch (StoreException e) {
                // The store's message quotes the user key, which the SDK cuts out.
                check(e.getKind() == ErrorKind.STORE
                        && e.getDetail().endsWith("save failed: java.io.IOException: disk full for <redacted>")
                        && !e.getDetail().contains("java-fail"),
                    "catch (StoreException e) when the Java store throws a checked exception, user key redacted");
            }
        }
        check(changes.equals(List.of(
                "java-user: NO_IDENTITY -> ESTABLISHED",
                "java-optout: NO_IDENTITY -> OPTOUT",
                "java-user: ESTABLISHED -> NO_IDENTITY")),
            "a lambda StatusListener hears every change (" + changes + ")");
    }

    private void typedErrors(String url, String apiKey, String clientSecret) throws EuidException {
        try (PublisherClient wrong = new PublisherClient(url, "wrong-key", clientSecret, Duration.ofSeconds(5))) {
            wrong.generateTokenBlocking(Dii.email("user@example.com"));
            check(false, "a wrong API key throws");
        } catch (UnauthorizedException e) {
            check(e.getKind() == ErrorKind.UNAUTHORIZED && !e.getMessage().contains("wrong-key"),
                "catch (UnauthorizedException e) for a wrong API key");
            check(Integer.valueOf(401).equals(e.getHttpStatus()) && !e.isRetryable() && e.getRetryAfterMs() == null,
                "the error's fields: getHttpStatus() 401, isRetryable() false");
        }
        try {
            new PublisherClient("http://prod.euid.eu", apiKey, clientSecret).close();
            check(false, "plain http to a public host is refused");
        } catch (EuidException e) {
            check(e.getKind() == ErrorKind.CONFIG, "catch (EuidException e) for a bad configuration");
        }
        PublisherClient closed = new PublisherClient(url, apiKey, clientSecret);
        closed.close();
        try {
            closed.generateTokenBlocking(Dii.email("user@example.com"));
            check(false, "a closed client refuses calls");
        } catch (ClientClosedException e) {
            check(e.getKind() == ErrorKind.CLOSED, "catch (ClientClosedException e) after close()");
        }
        try (PublisherClient integration = PublisherClient.integration(apiKey, clientSecret)) {
            check(integration.getBaseUrl().equals(Euid.INTEGRATION_URL), "PublisherClient.integration(...)");
        }
    }
}
