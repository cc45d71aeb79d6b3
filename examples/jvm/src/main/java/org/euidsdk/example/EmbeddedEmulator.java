package org.euidsdk.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.euidsdk.OffsetClock;

/**
 * The euid-emulator binary as a child process on an ephemeral loopback port. It stops when its
 * stdin closes, so it also stops when this JVM dies. {@link #clock()} follows the emulator's clock:
 * the operator sends no {@code Date} header, so a client on the system clock would be refused as
 * drifted once the emulator's clock has moved.
 */
final class EmbeddedEmulator implements Operator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final OffsetClock clock = new OffsetClock();
    private final String baseUrl;
    private final String apiKey;
    private final String clientSecret;

    EmbeddedEmulator(Path binary) throws IOException {
        process = new ProcessBuilder(binary.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        if (line == null) {
            throw new IOException("the emulator exited before printing its address");
        }
        JsonNode info = JSON.readTree(line);
        baseUrl = info.get("url").asText();
        apiKey = info.get("api_key").asText();
        clientSecret = info.get("client_secret").asText();
    }

    private JsonNode control(String path, String body) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5));
        if (body != null) {
            request.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String apiKey() {
        return apiKey;
    }

    @Override
    public String clientSecret() {
        return clientSecret;
    }

    @Override
    public boolean isEmulator() {
        return true;
    }

    @Override
    public OffsetClock clock() {
        return clock;
    }

    @Override
    public long nowMs() {
        return control("/emulator/clock", null).get("now_ms").asLong();
    }

    @Override
    public long clockOffsetMs() {
        return control("/emulator/clock", null).get("offset_ms").asLong();
    }

    @Override
    public void advancePast(long instantMs) {
        long ahead = instantMs - nowMs() + 1000;
        if (ahead > 0) {
            JsonNode answer = control("/emulator/clock", "{\"advance_ms\":" + ahead + "}");
            clock.setOffsetMs(answer.get("offset_ms").asLong());
        }
    }

    @Override
    public void close() {
        clock.close();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedEmulator[" + baseUrl + "]";
    }
}
