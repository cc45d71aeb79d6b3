package org.euidsdk.example;

/** An EUID operator and the site's view of its clock. */
public interface Operator extends AutoCloseable {
    String baseUrl();

    String apiKey();

    String clientSecret();

    boolean isEmulator();

    /** The operator's now, in epoch milliseconds. */
    long nowMs();

    /** How far the operator's clock is ahead of the system clock, in milliseconds. */
    long clockOffsetMs();

    /** Moves the operator's clock past {@code instantMs} (the emulator only). */
    void advancePast(long instantMs);

    @Override
    void close();
}
