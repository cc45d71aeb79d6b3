package org.euidsdk.example;

import org.euidsdk.OffsetClock;

/** An EUID operator and the site's view of its clock. */
public interface Operator extends AutoCloseable {
    String baseUrl();

    String apiKey();

    String clientSecret();

    boolean isEmulator();

    /** The clock for the site's request timestamps: the operator's time (null: the system's). */
    OffsetClock clock();

    /** The operator's now, in epoch milliseconds. */
    long nowMs();

    /** How far the operator's clock is ahead of the system clock, in milliseconds. */
    long clockOffsetMs();

    /** Moves the operator's clock past {@code instantMs} (the emulator only). */
    void advancePast(long instantMs);

    @Override
    void close();
}
