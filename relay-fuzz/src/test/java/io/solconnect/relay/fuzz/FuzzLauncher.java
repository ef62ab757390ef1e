package io.solconnect.relay.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one fuzz test ({@code <class>#<method>}) through the JUnit Platform, so that {@code ./fuzz}
 * builds once and then starts one JVM per target without Maven (Jazzer fuzzes one test per JVM;
 * {@code JAZZER_FUZZ} and {@code JAZZER_MAX_DURATION} come from the environment). Exits 0 when the
 * test passed, 1 on a finding, 2 on a usage error.
 */
public final class FuzzLauncher {

    private FuzzLauncher() {
    }

    /**
     * Runs the test.
     *
     * @param args {@code <fully qualified class>#<method name>}
     * @throws ClassNotFoundException when the class is not on the class path
     */
    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length != 1 || !args[0].contains("#")) {
            System.err.println("usage: FuzzLauncher <class>#<method>");
            System.exit(2);
        }
        String[] target = args[0].split("#", 2);
        Class<?> type = Class.forName(target[0]);
        Method method = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(target[1]))
                .findFirst().orElse(null);
        if (method == null) {
            System.err.println("no method " + target[1] + " in " + target[0]);
            System.exit(2);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(type, method)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary s = summary.getSummary();
        s.printTo(new PrintWriter(System.out, true));
        s.printFailuresTo(new PrintWriter(System.out, true), 40);
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
