/**
 * {@code ./relay bench balancers|crash|failover|fleet|scale|soak|throughput} (harnesses run on the module path) and the
 * JMH benchmarks of the load balancers ({@code bench.jmh}, run on the class path).
 */
module io.solconnect.relay.examples.bench {
    requires io.solconnect.relay.examples;
    requires io.solconnect.relay.examples.cli;
    requires io.solconnect.relay.examples.server;
    requires io.solconnect.relay.api;
    requires io.solconnect.relay.core;
    requires io.solconnect.relay.balancers;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    // bench fleet's delivery latency histograms (an automatic module)
    requires HdrHistogram;
    // bench soak reads heap and thread counts
    requires java.management;
    // bench scale reads the open-file limit and the process CPU time
    requires jdk.management;
    // the raw Tyrus client the throughput benchmark compares against
    requires jakarta.websocket;
    requires org.glassfish.tyrus.client;
    requires org.glassfish.tyrus.container.grizzly.client;
    requires org.glassfish.grizzly; // the raw client sets up its worker pool as the tyrus transport does

    // JMH benchmarks of the load balancers; run on the class path, so only needed to compile.
    requires static jmh.core;
    requires static jdk.unsupported;

    // the demo runs the failover benchmark's Rig
    exports io.solconnect.relay.examples.bench.failover;
    // Tyrus calls the raw client's endpoint reflectively
    exports io.solconnect.relay.examples.bench.throughput to org.glassfish.tyrus.core, org.glassfish.tyrus.client;
    opens io.solconnect.relay.examples.bench.jmh.jmh_generated to jmh.core;
    // picocli fills the benchmarks' annotated option fields reflectively
    opens io.solconnect.relay.examples.bench.balancers to info.picocli;
    opens io.solconnect.relay.examples.bench.failover to info.picocli;
    opens io.solconnect.relay.examples.bench.throughput to info.picocli;
    opens io.solconnect.relay.examples.bench.crash to info.picocli;
    opens io.solconnect.relay.examples.bench.soak to info.picocli;
    opens io.solconnect.relay.examples.bench.scale to info.picocli;
    opens io.solconnect.relay.examples.bench.fleet to info.picocli;

    provides io.solconnect.relay.examples.Benchmark with
            io.solconnect.relay.examples.bench.balancers.BalancersBench,
            io.solconnect.relay.examples.bench.crash.CrashBench,
            io.solconnect.relay.examples.bench.failover.FailoverBench,
            io.solconnect.relay.examples.bench.fleet.FleetBench,
            io.solconnect.relay.examples.bench.scale.ScaleBench,
            io.solconnect.relay.examples.bench.soak.SoakBench,
            io.solconnect.relay.examples.bench.throughput.ThroughputBench;
}
