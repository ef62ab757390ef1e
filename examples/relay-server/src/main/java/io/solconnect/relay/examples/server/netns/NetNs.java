package io.solconnect.relay.examples.server.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Linux network namespace joined to the caller's namespace by a veth pair, for faults made by
 * the kernel: {@link #linkDown()} (a true blackhole: packets to the namespace vanish, nothing
 * answers, nothing is refused), {@link #rateLimit(long)} ({@code tc} {@code tbf} on both ends) and
 * their undoing. The pair is a /30 in {@code 10.203.0.0/16}: {@link #hostAddress()} on this side,
 * {@link #insideAddress()} in the namespace; no route beyond it is added, so traffic through it can
 * only reach what runs inside the namespace. Commands run inside with {@link #command(List)}.
 *
 * <p>Names are {@code scr<pid>-<n>} (namespace), {@code scr<pid>-<n>h} (this side) and
 * {@code scr<pid>-<n>n} (inside), unique per process. {@link #close()} removes both; a shutdown hook
 * removes those still open when the JVM exits, and {@link #create()} first removes those left by
 * processes that are gone. Needs root and the {@code ip} and {@code tc} commands;
 * {@link #unavailableReason()} says why not when they are missing.
 *
 * <p>Thread-safe: every method runs its {@code ip}/{@code tc} commands under the instance's lock;
 * namespaces are created one at a time per JVM.
 */
public final class NetNs implements AutoCloseable {

    /** Prefix of every namespace and link this class makes. */
    static final String PREFIX = "scr";
    private static final Pattern OURS = Pattern.compile(PREFIX + "(\\d+)-(\\d+)[hn]?");
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<NetNs> OPEN = new HashSet<>();
    private static final Object GLOBAL = new Object();
    private static boolean hookAdded;
    private static boolean leftoversChecked;
    private static Optional<String> probed;

    private final String name;
    private final String hostLink;
    private final String insideLink;
    private final String hostAddress;
    private final String insideAddress;
    private boolean closed;

    private NetNs(String name, int block) {
        this.name = name;
        this.hostLink = name + "h";
        this.insideLink = name + "n";
        int third = block / 64;
        int fourth = (block % 64) * 4;
        this.hostAddress = "10.203." + third + "." + (fourth + 1);
        this.insideAddress = "10.203." + third + "." + (fourth + 2);
    }

    /**
     * Why namespaces cannot be made here, or empty when they can: checks once per JVM by making
     * and removing a probe namespace (not root, no {@code ip}, no permission in a container...).
     * Tests turn a non-empty answer into a skipped test with this message.
     *
     * @return the reason, or empty
     */
    public static Optional<String> unavailableReason() {
        synchronized (GLOBAL) {
            if (probed == null) {
                probed = probe();
            }
            return probed;
        }
    }

    private static Optional<String> probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("network namespaces need Linux, this is " + System.getProperty("os.name"));
        }
        String ns = PREFIX + PID + "-probe";
        try {
            run(List.of("ip", "netns", "add", ns));
        } catch (IOException e) {
            return Optional.of("cannot create a network namespace (needs root and iproute2): " + e.getMessage());
        }
        try {
            run(List.of("ip", "netns", "del", ns));
            run(List.of("tc", "-V"));
        } catch (IOException e) {
            return Optional.of("network namespace tools incomplete: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Creates a namespace with loopback up and a veth pair to it, both ends up with their
     * addresses. Removes what earlier, dead processes left first (once per JVM).
     *
     * @return the namespace; close it
     * @throws IOException when a command fails (the message names it and its output); whatever
     *                     was made is removed again
     */
    public static NetNs create() throws IOException {
        synchronized (GLOBAL) {
            if (!leftoversChecked) {
                leftoversChecked = true;
                removeLeftovers();
            }
            if (!hookAdded) {
                hookAdded = true;
                Runtime.getRuntime().addShutdownHook(new Thread(NetNs::closeAll, "netns-cleanup"));
            }
        }
        NetNs ns;
        synchronized (GLOBAL) { // one at a time, so two namespaces of this JVM never pick the same /30
            int n = COUNTER.incrementAndGet();
            ns = new NetNs(PREFIX + PID + "-" + n, freeBlock());
            OPEN.add(ns);
            try {
                ns.setUp();
            } catch (IOException | RuntimeException e) {
                ns.close();
                throw e;
            }
        }
        return ns;
    }

    private synchronized void setUp() throws IOException {
        run(List.of("ip", "netns", "add", name));
        run(List.of("ip", "link", "add", hostLink, "type", "veth", "peer", "name", insideLink));
        run(List.of("ip", "link", "set", insideLink, "netns", name));
        run(List.of("ip", "addr", "add", hostAddress + "/30", "dev", hostLink));
        run(List.of("ip", "link", "set", hostLink, "up"));
        run(List.of("ip", "-n", name, "addr", "add", insideAddress + "/30", "dev", insideLink));
        run(List.of("ip", "-n", name, "link", "set", insideLink, "up"));
        run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    }

    /** A /30 in 10.203.0.0/16 that no address of this namespace uses, starting from one the pid picks. */
    private static int freeBlock() throws IOException {
        String used = run(List.of("ip", "-o", "-4", "addr", "show"));
        int start = (int) ((PID * 7 + COUNTER.get()) % 16384);
        for (int i = 0; i < 16384; i++) {
            int block = (start + i) % 16384;
            String prefix = "10.203." + block / 64 + ".";
            int fourth = (block % 64) * 4;
            boolean clash = false;
            for (int j = 0; j < 4 && !clash; j++) {
                clash = used.contains(" " + prefix + (fourth + j) + "/");
            }
            if (!clash) {
                return block;
            }
        }
        throw new IOException("no free /30 left in 10.203.0.0/16");
    }

    /**
     * Removes namespaces and links named by this class whose process is gone.
     *
     * @return how many namespaces and links were removed
     * @throws IOException when listing them fails
     */
    static int removeLeftovers() throws IOException {
        int removed = 0;
        for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (leftOver(ns)) {
                killProcessesIn(ns);
                removed += quietly(List.of("ip", "netns", "del", ns)) ? 1 : 0;
            }
        }
        for (String line : run(List.of("ip", "-o", "link", "show")).split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                String link = f[1].split("@")[0];
                if (leftOver(link)) {
                    removed += quietly(List.of("ip", "link", "del", link)) ? 1 : 0;
                }
            }
        }
        return removed;
    }

    private static boolean leftOver(String name) {
        Matcher m = OURS.matcher(name);
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /**
     * The namespace's name, for {@code ip netns exec}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The address of this side of the pair, e.g. {@code 10.203.7.1}.
     *
     * @return the IPv4 literal
     */
    public String hostAddress() {
        return hostAddress;
    }

    /**
     * The address inside the namespace, e.g. {@code 10.203.7.2}: where a server inside listens.
     *
     * @return the IPv4 literal
     */
    public String insideAddress() {
        return insideAddress;
    }

    /**
     * A command line that runs {@code command} inside the namespace.
     *
     * @param command the program and its arguments
     * @return {@code ip netns exec <name> <command...>}
     */
    public List<String> command(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(command);
        return out;
    }

    /**
     * Sets the namespace's end of the pair down: packets to {@link #insideAddress()} are dropped
     * silently (no reset, no ICMP); open connections stop getting acknowledgements and new ones time
     * out. The route on this side stays, so nothing fails fast.
     *
     * @throws IOException when {@code ip} fails
     */
    public synchronized void linkDown() throws IOException {
        checkOpen();
        run(List.of("ip", "-n", name, "link", "set", insideLink, "down"));
    }

    /**
     * Sets the namespace's end up again and forgets the neighbour entries that failed while it was
     * down (else new connections fail with "no route to host" for a few seconds).
     *
     * @throws IOException when {@code ip} fails
     */
    public synchronized void linkUp() throws IOException {
        checkOpen();
        run(List.of("ip", "-n", name, "link", "set", insideLink, "up"));
        run(List.of("ip", "neigh", "flush", "dev", hostLink));
        run(List.of("ip", "-n", name, "neigh", "flush", "dev", insideLink));
    }

    /**
     * Limits both directions to {@code bitsPerSecond} with a {@code tbf} qdisc (burst of 4 KiB or
     * 1/8 s of traffic, whichever is larger; packets waiting more than 400 ms are dropped).
     * Replaces an earlier limit.
     *
     * @param bitsPerSecond the rate, 8000 (1 KB/s) or more
     * @throws IOException when {@code tc} fails
     */
    public synchronized void rateLimit(long bitsPerSecond) throws IOException {
        if (bitsPerSecond < 8000) {
            throw new IllegalArgumentException("rate must be at least 8000 bit/s, was " + bitsPerSecond);
        }
        checkOpen();
        long burstBytes = Math.max(4096, bitsPerSecond / 64);
        List<String> tbf = List.of("root", "tbf", "rate", bitsPerSecond + "bit", "burst", burstBytes + "b",
                "latency", "400ms");
        List<String> here = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", hostLink));
        here.addAll(tbf);
        run(here);
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name, "tc", "qdisc", "replace", "dev",
                insideLink));
        inside.addAll(tbf);
        run(inside);
    }

    /**
     * Removes the rate limit of {@link #rateLimit(long)}; nothing happens when there is none.
     *
     * @throws IOException when {@code tc} fails for another reason than a missing limit
     */
    public synchronized void clearRateLimit() throws IOException {
        checkOpen();
        if (qdiscs().contains("tbf")) {
            run(List.of("tc", "qdisc", "del", "dev", hostLink, "root"));
            run(List.of("ip", "netns", "exec", name, "tc", "qdisc", "del", "dev", insideLink, "root"));
        }
    }

    /**
     * The {@code tc qdisc show} output of both ends, for diagnostics and tests.
     *
     * @return the text
     * @throws IOException when {@code tc} fails
     */
    public synchronized String qdiscs() throws IOException {
        checkOpen();
        return run(List.of("tc", "qdisc", "show", "dev", hostLink))
                + run(List.of("ip", "netns", "exec", name, "tc", "qdisc", "show", "dev", insideLink));
    }

    /**
     * Whether the namespace still exists (false after {@link #close()}).
     *
     * @return true while it exists
     * @throws IOException when {@code ip} fails
     */
    public boolean exists() throws IOException {
        for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
            if (line.strip().split("\\s+")[0].equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the namespace and the pair, killing (SIGKILL) whatever still runs inside: stop
     * processes gracefully first when that matters. Idempotent; errors are ignored (best effort).
     * Also run by the shutdown hook, so relay processes do not outlive a test JVM that exits.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            killProcessesIn(name);
            quietly(List.of("ip", "link", "del", hostLink));
            quietly(List.of("ip", "netns", "del", name));
        }
        synchronized (GLOBAL) {
            OPEN.remove(this);
        }
    }

    @Override
    public String toString() {
        return "netns " + name + " (" + hostAddress + " <-> " + insideAddress + ")";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static void closeAll() {
        List<NetNs> all;
        synchronized (GLOBAL) {
            all = new ArrayList<>(OPEN);
        }
        all.forEach(NetNs::close);
    }

    /** SIGKILLs the processes of a namespace and waits (up to 5 s each) until they are gone. */
    private static void killProcessesIn(String namespace) {
        String pids;
        try {
            pids = run(List.of("ip", "netns", "pids", namespace));
        } catch (IOException e) {
            return;
        }
        for (String p : pids.split("\\s+")) {
            if (p.matches("\\d+") && Long.parseLong(p) != PID) {
                ProcessHandle.of(Long.parseLong(p)).ifPresent(h -> {
                    h.destroyForcibly();
                    try {
                        h.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // best effort: the namespace goes away when its last process does
                    }
                });
            }
        }
    }

    private static boolean quietly(List<String> command) {
        try {
            run(command);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a command, returns its standard output; fails with its output when it exits non-zero. */
    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within 10 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }
}
