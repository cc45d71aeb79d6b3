package org.euidsdk.example;

import jakarta.servlet.http.HttpSession;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.euidsdk.BrowserIdentity;
import org.euidsdk.Cookie;
import org.euidsdk.Cookies;
import org.euidsdk.Dii;
import org.euidsdk.EuidException;
import org.euidsdk.Identity;
import org.euidsdk.IdentityManager;
import org.euidsdk.InvalidIdentityException;
import org.euidsdk.InvalidInputException;
import org.euidsdk.MemoryStore;
import org.euidsdk.TokenAnswer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The site: sign-in, the identity the server established and stored, its hand-off to the EUID
 * browser SDK through the {@code __euid} cookie, "come back later" and sign-out.
 */
@RestController
class SiteController {
    private static final String USER = "user";
    private final Operator operator;
    private final IdentityManager manager;
    private final MemoryStore store;
    private final Path web;

    SiteController(Operator operator, IdentityManager manager, MemoryStore store,
            @Value("${EXAMPLE_WEB_DIR:../web}") String web) {
        this.operator = operator;
        this.manager = manager;
        this.store = store;
        this.web = Path.of(web);
    }

    @GetMapping("/")
    ResponseEntity<Resource> index() {
        return file(web.resolve("static/index.html"), MediaType.TEXT_HTML);
    }

    @GetMapping("/vendor/euid-sdk.mjs")
    ResponseEntity<Resource> browserSdk() {
        return file(web.resolve("node_modules/@unified-id/euid-sdk/euidSdk.mjs"),
                MediaType.parseMediaType("text/javascript"));
    }

    private static ResponseEntity<Resource> file(Path path, MediaType type) {
        var resource = new FileSystemResource(path);
        if (!resource.isReadable()) {
            throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR,
                    path + " is missing: run scripts/setup-examples.sh");
        }
        return ResponseEntity.ok().contentType(type).body(resource);
    }

    @GetMapping("/api/state")
    Map<String, Object> state(HttpSession session) throws EuidException {
        String user = (String) session.getAttribute(USER);
        long now = operator.nowMs();
        var body = new LinkedHashMap<String, Object>();
        body.put("backend", "JVM · Spring Boot");
        body.put("emulator", operator.isEmulator());
        body.put("base_url", operator.baseUrl());
        body.put("now_ms", now);
        body.put("clock_offset_ms", operator.clockOffsetMs());
        body.put("user", user);
        body.put("opted_out", user != null && store.isOptedOut(user));
        body.put("advertising_token", null);
        body.put("identity", null);
        if (user == null) {
            return body;
        }
        try {
            TokenAnswer answer = manager.advertisingTokenBlocking(user); // 2-a; refreshes first when due
            if (answer instanceof TokenAnswer.Token token) {
                body.put("advertising_token", token.getAdvertisingToken());
            }
        } catch (EuidException e) { // expired and the refresh failed: kept for a retry
            body.put("error", e.getKind().getValue());
        }
        Identity identity = manager.identity(user);
        if (identity != null) {
            body.put("identity", Map.of(
                    "status", identity.statusAt(now).name(),
                    "refresh_from", identity.getRefreshFrom(),
                    "identity_expires", identity.getIdentityExpires(),
                    "refresh_expires", identity.getRefreshExpires()));
        }
        return body;
    }

    @PostMapping("/login")
    ResponseEntity<Void> login(@RequestParam String email, HttpSession session) throws EuidException {
        String user = email.strip().toLowerCase(); // the site's key for the user
        try {
            manager.establishBlocking(user, Dii.email(email)); // 1-d..1-f: hash, generate, store
        } catch (InvalidInputException e) {
            return seeOther().build();
        }
        session.setAttribute(USER, user);
        Identity identity = manager.identity(user);
        if (identity != null) { // hand it to the browser SDK
            return seeOther().header(HttpHeaders.SET_COOKIE, browserCookie(Cookies.forIdentity(identity))).build();
        }
        if (store.isOptedOut(user)) { // the browser SDK's own opt-out marker
            return seeOther().header(HttpHeaders.SET_COOKIE, browserCookie(Cookies.optOut(operator.nowMs()))).build();
        }
        return seeOther().header(HttpHeaders.SET_COOKIE, deleteCookie()).build();
    }

    private static String browserCookie(Cookie cookie) {
        return ResponseCookie.from(cookie.getName(), cookie.getValue())
                .path(cookie.getPath()).secure(cookie.getSecure()).sameSite(cookie.getSameSite())
                .maxAge(cookie.maxAge()).build() // not HttpOnly: the browser SDK reads it
                .toString();
    }

    private static String deleteCookie() {
        return ResponseCookie.from(Cookies.COOKIE_NAME, "").path("/").maxAge(0).build().toString();
    }

    @PostMapping("/later")
    ResponseEntity<Void> later(HttpSession session) throws EuidException {
        String user = (String) session.getAttribute(USER);
        Identity identity = user == null ? null : manager.identity(user);
        if (identity == null || !operator.isEmulator()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT);
        }
        operator.advancePast(identity.getRefreshFrom());
        return seeOther().build();
    }

    /** 3-a..3-c: the identity the browser SDK keeps (it refreshes it), back on the server. */
    @GetMapping("/api/cookie")
    Map<String, Object> readCookie(@CookieValue(name = "__euid", required = false) String value,
            HttpSession session) throws EuidException {
        String user = (String) session.getAttribute(USER);
        if (value == null) {
            return Map.of("cookie", "none");
        }
        BrowserIdentity browser;
        try {
            browser = Cookies.parse(value);
        } catch (InvalidIdentityException e) {
            return Map.of("cookie", "invalid");
        }
        if (user != null) {
            takeBack(user, browser);
        }
        if (browser instanceof BrowserIdentity.Found found) {
            return Map.of("cookie", "identity", "advertising_token", found.getIdentity().getAdvertisingToken());
        }
        return Map.of("cookie", "optout");
    }

    /**
     * Keeps what the browser SDK holds: its opt-out, or its identity when newer (as the SDK
     * decides). The page's read-backs can overlap, so one at a time: an opted-out user gets no
     * identity back from a late, older request.
     */
    private synchronized void takeBack(String user, BrowserIdentity browser) throws EuidException {
        if (browser instanceof BrowserIdentity.Found found) {
            Identity identity = found.getIdentity();
            Identity current = manager.identity(user);
            if (!store.isOptedOut(user)
                    && (current == null || identity.getIdentityExpires() > current.getIdentityExpires())) {
                store.save(user, identity.toJson());
            }
        } else {
            store.delete(user);
            store.setOptedOut(user);
        }
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(HttpSession session) throws EuidException {
        String user = (String) session.getAttribute(USER);
        session.invalidate();
        if (user != null) {
            manager.logout(user); // 4-a: no request; an opt-out stays remembered
        }
        return seeOther().header(HttpHeaders.SET_COOKIE, deleteCookie()).build(); // 4-b
    }

    private static ResponseEntity.BodyBuilder seeOther() {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, "/");
    }
}
