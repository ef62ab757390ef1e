package io.solconnect.relay.core;

import io.solconnect.relay.core.internal.logging.LogContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * The threads a client runs its side work on, and which of them it owns. Listeners and send
 * completions run on {@link #listeners()}, store writes on {@link #blocking()} and discovery
 * lookups on {@link #lookups()}: by default one daemon thread each
 * ({@code solconnect-listeners-<session>}, {@code solconnect-io-<session>},
 * {@code solconnect-discovery-<session>}), so that a lookup waiting on a silent server never delays
 * a store write; an executor given to the builder runs all three instead and is not owned. Every
 * task runs with the client's session key in the logging context.
 *
 * <p>Built once by {@link ClientParts}, whose {@code close()} calls {@link #shutdown()} once (on
 * {@link RelayManager#stop()}). The accessors are safe from any thread.
 */
final class ClientThreads {

    private final List<ExecutorService> owned = new ArrayList<>();
    private final Executor listeners;
    private final Executor blocking;
    private final Executor lookups;
    private final boolean ownsBlocking;

    /**
     * @param session     the session id, in the thread names
     * @param logs        adds the session key to every task
     * @param given       the builder's executor, if any: used for everything, never shut down
     * @param eventThread a thread made earlier for the event bus (by {@link RegistryAssembly}); owned
     */
    ClientThreads(String session, LogContext logs, Optional<Executor> given, Optional<ExecutorService> eventThread) {
        if (given.isPresent()) {
            listeners = logs.wrap(given.get());
            blocking = logs.wrap(given.get());
            lookups = logs.wrap(given.get());
            ownsBlocking = false;
        } else {
            listeners = logs.wrap(own("solconnect-listeners-" + session));
            blocking = logs.wrap(own("solconnect-io-" + session));
            lookups = logs.wrap(own("solconnect-discovery-" + session));
            ownsBlocking = true;
        }
        eventThread.ifPresent(owned::add);
    }

    private ExecutorService own(String name) {
        ExecutorService e = Executors.newSingleThreadExecutor(daemon(name));
        owned.add(e);
        return e;
    }

    /** Runs listeners, send completions and events. */
    Executor listeners() {
        return listeners;
    }

    /** Runs store writes, in order; may block. */
    Executor blocking() {
        return blocking;
    }

    /**
     * Whether {@link #blocking()} is a thread of the client's own, so that waiting for its tasks
     * cannot deadlock; false for an executor given to the builder (it may run tasks only when its
     * owner lets it, as a test's virtual scheduler does).
     */
    boolean ownsBlocking() {
        return ownsBlocking;
    }

    /** Runs discovery lookups; may block. */
    Executor lookups() {
        return lookups;
    }

    /** Shuts down the threads the client owns; tasks already queued still run. */
    void shutdown() {
        owned.forEach(ExecutorService::shutdown);
    }

    /** {@code bytes} random bytes as lower-case hex: session ids and generated sender names. */
    static String hex(RandomGenerator r, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return HexFormat.of().formatHex(b);
    }

    /** Makes daemon threads named {@code name}, so a client never keeps the JVM alive. */
    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
