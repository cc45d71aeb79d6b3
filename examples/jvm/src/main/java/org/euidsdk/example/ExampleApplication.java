package org.euidsdk.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.euidsdk.EuidException;
import org.euidsdk.IdentityManager;
import org.euidsdk.MemoryStore;
import org.euidsdk.OffsetClock;
import org.euidsdk.PublisherClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/** The example publisher site on org.euidsdk (Spring Boot). */
@SpringBootApplication
public class ExampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    /**
     * A real EUID environment when EUID_BASE_URL, EUID_API_KEY and EUID_CLIENT_SECRET are set,
     * else the embedded emulator (EUID_EMULATOR_BIN, default target/release/euid-emulator of the
     * repository).
     */
    @Bean(destroyMethod = "close")
    Operator operator() throws IOException {
        List<String> names = List.of("EUID_BASE_URL", "EUID_API_KEY", "EUID_CLIENT_SECRET");
        List<String> values = names.stream().map(name -> System.getenv().getOrDefault(name, "")).toList();
        if (values.stream().noneMatch(String::isEmpty)) {
            return new RealOperator(values.get(0), values.get(1), values.get(2));
        }
        if (values.stream().anyMatch(value -> !value.isEmpty())) {
            throw new IllegalStateException("set all of " + String.join(", ", names) + " or none of them");
        }
        Path binary = Path.of(System.getenv().getOrDefault("EUID_EMULATOR_BIN", "../../target/release/euid-emulator"));
        if (!Files.isRegularFile(binary)) {
            throw new IllegalStateException("no emulator at " + binary + ": run `cargo build --release -p euid-emulator`");
        }
        return new EmbeddedEmulator(binary);
    }

    /** The defaults (5 s per attempt, 15 s per call, 2 retries, 2 s to connect, base64 envelopes). */
    @Bean(destroyMethod = "close")
    PublisherClient euidClient(Operator operator) throws EuidException {
        return new PublisherClient(operator.baseUrl(), operator.apiKey(), operator.clientSecret(),
                Duration.ofSeconds(5), Duration.ofSeconds(15), 2, Duration.ofSeconds(2), false, operator.clock());
    }

    /**
     * The clock the manager judges by when a refresh is due: the server's own, which "come back
     * later" does not move. The browser SDK refreshes, and the server reads the cookie back.
     */
    @Bean(destroyMethod = "close")
    OffsetClock serverClock() {
        return new OffsetClock();
    }

    @Bean
    MemoryStore euidStore() throws EuidException {
        return new MemoryStore(); // one process; implement IdentityStore over Redis for a fleet
    }

    @Bean(destroyMethod = "close")
    IdentityManager euidManager(PublisherClient client, MemoryStore store, OffsetClock serverClock) {
        return new IdentityManager(client, store, serverClock);
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> printUrl(Operator operator) {
        return event -> {
            System.out.println("EUID example site (JVM, Spring Boot): http://127.0.0.1:"
                    + event.getWebServer().getPort() + "/");
            System.out.println("EUID operator: " + (operator.isEmulator() ? "the embedded emulator at " : "")
                    + operator.baseUrl());
            System.out.flush();
        };
    }
}
