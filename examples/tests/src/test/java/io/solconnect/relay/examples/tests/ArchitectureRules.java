package io.solconnect.relay.examples.tests;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module rules of ARCHITECTURE.md as ArchUnit rules, parameterised by package so the same rule
 * objects can be shown to fail on deliberately bad fixture packages.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The API may use nothing outside the JDK. */
    static ArchRule apiUsesOnlyTheJdk(String apiRoot) {
        return classes().that().resideInAPackage(apiRoot + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", apiRoot + "..")
                .because("relay-api must have no third-party dependency");
    }

    /**
     * The API may carry IP addresses as values but never inspects them: deciding which addresses a
     * relay may have is the core's discovery policy, applied to every source.
     */
    static ArchRule apiHoldsNoAddressPolicy(String apiRoot) {
        return noClasses().that().resideInAPackage(apiRoot + "..")
                .should().accessClassesThat().areAssignableTo(java.net.InetAddress.class)
                .because("the address policy lives in relay-core, which applies it to every discovery source");
    }

    /** Classes below a root use only the JDK and the given packages. */
    static ArchRule usesOnly(String root, String... allowedRoots) {
        String[] allowed = new String[allowedRoots.length + 3];
        allowed[0] = "java..";
        allowed[1] = "javax..";
        allowed[2] = root + "..";
        for (int i = 0; i < allowedRoots.length; i++) {
            allowed[i + 3] = allowedRoots[i] + "..";
        }
        return classes().that().resideInAPackage(root + "..").should().onlyDependOnClassesThat().resideInAnyPackage(allowed);
    }

    /** A plugin may use the API, the JDK and third-party libraries, never the core or another plugin. */
    static ArchRule pluginIsolated(String pluginRoot, String coreRoot, List<String> otherPluginRoots) {
        String[] forbidden = new String[otherPluginRoots.size() + 1];
        forbidden[0] = coreRoot + "..";
        for (int i = 0; i < otherPluginRoots.size(); i++) {
            forbidden[i + 1] = otherPluginRoots.get(i) + "..";
        }
        return noClasses().that().resideInAPackage(pluginRoot + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("plugins depend on relay-api only");
    }

    /** Nothing outside a module uses that module's {@code internal} packages. */
    static ArchRule internalStaysInside(String moduleRoot) {
        return noClasses().that().resideOutsideOfPackage(moduleRoot + "..")
                .should().dependOnClassesThat().resideInAPackage(moduleRoot + "..internal..")
                .because("internal packages are private to their module");
    }

    /** Packages below a root form no cycle. */
    static ArchRule noPackageCycles(String root) {
        return SlicesRuleDefinition.slices().matching(root + ".(**)").should().beFreeOfCycles();
    }
}
