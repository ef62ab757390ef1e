package io.solconnect.relay.examples;

/**
 * A harness run by {@code ./relay bench <name>}. Implementations live in sub-packages and are
 * found with {@link java.util.ServiceLoader} ({@code provides io.solconnect.relay.examples.Benchmark}
 * in module-info), so the launcher never refers to them and packages form no cycle.
 */
public interface Benchmark extends Command {
}
