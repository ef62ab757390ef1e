package io.solconnect.relay.examples.bench.throughput;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench throughput --jvms N}: runs the benchmark in N fresh JVMs, one after another (the
 * same module path, main module and JVM options as this one, the same arguments with
 * {@code --jvms 1}), echoes each run's output prefixed with its number, and prints, per figure of
 * the runs' {@link ThroughputBench#SUMMARY} lines, the value of every run and their median, minimum
 * and maximum. Not thread-safe; used once by the command.
 */
final class JvmRuns {

    private final PrintStream out;
    private final PrintStream err;

    JvmRuns(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs {@code jvms} child benchmarks with {@code argv}; returns 0 when every child returned 0. */
    int run(List<String> argv, int jvms) throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        String mainModule = System.getProperty("jdk.module.main");
        String mainClass = System.getProperty("jdk.module.main.class");
        if (modulePath == null || mainModule == null || mainClass == null) {
            err.println("relay bench throughput: --jvms needs the launcher's module path (run ./relay bench throughput)");
            return 2;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Djdk.module") && !a.startsWith("--module-path") && !a.startsWith("-Dsun.java.command")) {
                command.add(a);
            }
        }
        command.addAll(List.of("--module-path", modulePath, "-m", mainModule + "/" + mainClass, "bench", "throughput"));
        command.addAll(withOneJvm(argv));
        // key (size, rate) -> figure name -> one value per run
        Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
        int worst = 0;
        for (int run = 1; run <= jvms; run++) {
            out.printf(Locale.ROOT, "jvm run %d of %d%n", run, jvms);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.println("[jvm " + run + "] " + line);
                    if (line.startsWith(ThroughputBench.SUMMARY)) {
                        collect(line.substring(ThroughputBench.SUMMARY.length()), figures);
                    }
                }
            }
            worst = Math.max(worst, p.waitFor());
        }
        out.printf(Locale.ROOT, "over %d JVM runs (each value one run; median, min, max):%n", jvms);
        for (Map.Entry<String, Map<String, List<Double>>> k : figures.entrySet()) {
            for (Map.Entry<String, List<Double>> f : k.getValue().entrySet()) {
                double[] v = f.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                StringBuilder runs = new StringBuilder();
                for (double d : v) {
                    runs.append(runs.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", d));
                }
                double min = f.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                double max = f.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                out.printf(Locale.ROOT, "%s %s: runs [%s] median %.3f min %.3f max %.3f%n", k.getKey(), f.getKey(), runs,
                        ThroughputBench.med(v.clone()), min, max);
            }
        }
        return worst;
    }

    /** The arguments with {@code --jvms} set to 1. */
    static List<String> withOneJvm(List<String> argv) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--jvms")) {
                i++;
            } else if (!a.startsWith("--jvms=")) {
                out.add(a);
            }
        }
        out.addAll(List.of("--jvms", "1"));
        return out;
    }

    /** Adds a summary line's figures: {@code size=..} and {@code rate=..} make the key, the rest are figures. */
    static void collect(String line, Map<String, Map<String, List<Double>>> figures) {
        StringBuilder key = new StringBuilder();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String kv : line.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = kv.substring(0, eq);
            String v = kv.substring(eq + 1);
            if (k.equals("size") || k.equals("rate")) {
                key.append(key.length() == 0 ? "" : " ").append(k).append('=').append(v);
            } else {
                try {
                    values.put(k, Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    // not a figure
                }
            }
        }
        Map<String, List<Double>> byName = figures.computeIfAbsent(key.toString(), x -> new LinkedHashMap<>());
        values.forEach((k, v) -> byName.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
}
