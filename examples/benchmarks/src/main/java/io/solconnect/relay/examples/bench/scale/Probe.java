package io.solconnect.relay.examples.bench.scale;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code bench scale} reads about its own JVM: open-file limit and open files, used heap after
 * GC, live threads by name, and process CPU time over a wall-clock interval (also of the relay
 * JVMs). Linux (a Unix {@code OperatingSystemMXBean}) for the file counts.
 *
 * <p>Used by the harness thread only.
 */
final class Probe {

    /** Descriptors kept aside for the JVM itself (jars, epoll, pipes of the relay JVMs, logs). */
    static final int RESERVED_FDS = 300;

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    /** @return the open-file limit of this process (soft; the JVM raises it to the hard limit at start) */
    long maxFds() {
        return os instanceof UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** @return descriptors open now */
    long openFds() {
        return os instanceof UnixOperatingSystemMXBean u ? u.getOpenFileDescriptorCount() : 0;
    }

    /**
     * @param linksPerSession sockets each session holds
     * @return sessions whose sockets fit under the open-file limit, with {@link #RESERVED_FDS} kept aside
     */
    int sessionsThatFit(int linksPerSession) {
        return sessionsThatFit(maxFds(), openFds(), linksPerSession);
    }

    /**
     * @param maxFds          the open-file limit
     * @param openFds         descriptors open now
     * @param linksPerSession sockets each session holds
     * @return sessions whose sockets fit with {@link #RESERVED_FDS} kept aside, at least 0
     */
    static int sessionsThatFit(long maxFds, long openFds, int linksPerSession) {
        long room = maxFds - openFds - RESERVED_FDS;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, room / linksPerSession));
    }

    /** @return the system load average over the last minute, or -1 */
    double loadAverage() {
        return os.getSystemLoadAverage();
    }

    /**
     * @return used heap in bytes after two full collections ({@link System#gc()}, which this JVM's
     *         collectors run synchronously unless {@code -XX:+DisableExplicitGC} is given)
     */
    long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** @return live threads of this JVM */
    int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** @return live threads counted by name with the digits taken out, largest groups first */
    String threadGroups() {
        Map<String, Long> groups = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().replaceAll("[0-9]+", "N"), TreeMap::new, Collectors.counting()));
        return groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** @return CPU time this JVM used so far, in nanoseconds */
    long cpuNanos() {
        if (os instanceof com.sun.management.OperatingSystemMXBean s) {
            return s.getProcessCpuTime();
        }
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /**
     * CPU use over an interval, in cores (CPU time / wall time).
     *
     * @param cores       this JVM
     * @param relayCores  the relay JVMs together
     * @param wallSeconds the interval
     * @param loadAverage the system's one-minute load average at its end: above the core count, the
     *                    JVMs waited for CPU and the figures are what they got, not what they wanted
     */
    record Cpu(double cores, double relayCores, double wallSeconds, double loadAverage) {
    }

    /**
     * Sleeps for {@code interval} and measures the CPU time used meanwhile.
     *
     * @param interval the wall-clock interval
     * @param relays   relay JVMs whose CPU is measured too (those that ended count nothing)
     * @return cores used by this JVM and by the relays
     * @throws InterruptedException when interrupted
     */
    Cpu cpuOver(Duration interval, List<RelayProcess> relays) throws InterruptedException {
        long[] before = relays.stream().mapToLong(RelayProcess::cpuNanos).toArray();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(interval.toMillis()); // the measured interval itself
        long wall = System.nanoTime() - t0;
        long cpu = cpuNanos() - cpu0;
        long relayCpu = 0;
        for (int i = 0; i < relays.size(); i++) {
            long now = relays.get(i).cpuNanos();
            if (now >= 0 && before[i] >= 0) {
                relayCpu += now - before[i];
            }
        }
        return new Cpu((double) cpu / wall, (double) relayCpu / wall, wall / 1e9, loadAverage());
    }
}
