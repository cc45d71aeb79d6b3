package org.euidsdk.example;

import org.euidsdk.OffsetClock;

/** A real EUID environment: its clock is the real one and is never moved. */
record RealOperator(String baseUrl, String apiKey, String clientSecret) implements Operator {
    @Override
    public boolean isEmulator() {
        return false;
    }

    @Override
    public OffsetClock clock() {
        return null;
    }

    @Override
    public long nowMs() {
        return System.currentTimeMillis();
    }

    @Override
    public long clockOffsetMs() {
        return 0;
    }

    @Override
    public void advancePast(long instantMs) {
        throw new IllegalStateException("a real operator's clock cannot be moved");
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "RealOperator[" + baseUrl + "]"; // no key, no secret
    }
}
