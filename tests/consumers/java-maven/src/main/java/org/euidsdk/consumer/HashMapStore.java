package org.euidsdk.consumer;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.euidsdk.IdentityStore;

/**
 * An {@link IdentityStore} written in Java, as an application would write one over its own
 * storage: a HashMap of identity JSON per user plus a set of opted-out users. Its methods may
 * throw checked exceptions, which the SDK reports as {@code StoreException}.
 */
final class HashMapStore implements IdentityStore {
    private final Map<String, String> identities = new HashMap<>();
    private final Set<String> optedOut = new HashSet<>();
    private volatile boolean failSaves;

    /** Makes every later save throw an IOException quoting the user key, as a careless store might. */
    void failSaves(boolean fail) {
        failSaves = fail;
    }

    @Override
    public synchronized String load(String user) {
        return identities.get(user);
    }

    @Override
    public synchronized void save(String user, String identityJson) throws IOException {
        if (failSaves) {
            throw new IOException("disk full for " + user);
        }
        identities.put(user, identityJson);
    }

    @Override
    public synchronized void delete(String user) {
        identities.remove(user);
    }

    @Override
    public synchronized boolean isOptedOut(String user) {
        return optedOut.contains(user);
    }

    @Override
    public synchronized void setOptedOut(String user) {
        optedOut.add(user);
    }
}
