package io.solconnect.relay.examples.tests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.module.ResolvedModule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the module rules on the real classes of every module, and shows on fixture packages that
 * each rule does fail when broken.
 */
class ArchitectureTest {

    static final String ROOT = "io.solconnect.relay";
    static final String API = ROOT + ".api";
    static final String CORE = ROOT + ".core";
    static final List<String> PLUGINS = List.of(ROOT + ".discovery.dns", ROOT + ".discovery.bootstrap",
            ROOT + ".balancers", ROOT + ".transport.tyrus");
    /** Front ends serve any RelayClient; they may also use the core's exported package (RelayConfigs). */
    static final List<String> FRONT_ENDS = List.of(ROOT + ".ui.web");
    static final String EXAMPLES = ROOT + ".examples";
    /** The example modules below the launcher's ({@code io.solconnect.relay.examples}), each its own JPMS module. */
    static final List<String> EXAMPLE_MODULES = List.of(EXAMPLES + ".server", EXAMPLES + ".cli", EXAMPLES + ".demo",
            EXAMPLES + ".bench", EXAMPLES + ".plugin");

    static JavaClasses product;
    static JavaClasses fixtures;

    @BeforeAll
    static void importClasses() throws Exception {
        // Every module of the product, located through the boot layer (jar or classes directory).
        Set<Location> locations = new LinkedHashSet<>();
        for (ResolvedModule m : ModuleLayer.boot().configuration().modules()) {
            if (m.name().startsWith(ROOT + ".") && !m.reference().descriptor().packages().isEmpty()) {
                m.reference().location().ifPresent(uri -> locations.add(Location.of(uri)));
            }
        }
        product = new ClassFileImporter().importLocations(locations).that(
                com.tngtech.archunit.base.DescribedPredicate.describe("not a fixture",
                        c -> !c.getPackageName().startsWith(ROOT + ".examples.archfixture")));
        fixtures = new ClassFileImporter().importPackages(ROOT + ".examples.archfixture");
        assertTrue(product.stream().anyMatch(c -> c.getPackageName().equals(API)), "relay-api classes imported");
        assertTrue(product.stream().anyMatch(c -> c.getPackageName().startsWith(CORE)), "relay-core classes imported");
        assertFalse(fixtures.isEmpty(), "fixtures imported");
        // A rule over a module that is not here would pass on nothing: every module must be imported.
        List<String> modules = new ArrayList<>(List.of(ROOT + ".metrics.micrometer", EXAMPLES));
        modules.addAll(PLUGINS);
        modules.addAll(FRONT_ENDS);
        modules.addAll(EXAMPLE_MODULES);
        for (String module : modules) {
            assertTrue(product.stream().anyMatch(c -> c.getPackageName().startsWith(module)), module + " classes imported");
        }
    }

    @Test
    void apiHasNoThirdPartyDependency() {
        ArchitectureRules.apiUsesOnlyTheJdk(API).check(product);
    }

    @Test
    void apiHoldsNoAddressPolicy() {
        ArchitectureRules.apiHoldsNoAddressPolicy(API).check(product);
    }

    @Test
    void pluginsUseOnlyTheApi() {
        for (String plugin : PLUGINS) {
            List<String> others = new ArrayList<>(PLUGINS);
            others.remove(plugin);
            others.addAll(FRONT_ENDS);
            ArchitectureRules.pluginIsolated(plugin, CORE, others).allowEmptyShould(true).check(product);
        }
    }

    @Test
    void frontEndsUseTheApiAndOnlyTheExportedCore() {
        for (String frontEnd : FRONT_ENDS) {
            ArchitectureRules.pluginIsolated(frontEnd, CORE + ".internal", PLUGINS).check(product);
        }
    }

    @Test
    void theMetricsBinderUsesOnlyTheApiAndMicrometerAndNothingElseUsesMicrometer() {
        ArchitectureRules.usesOnly(ROOT + ".metrics.micrometer", API, "io.micrometer").check(product);
        for (String module : List.of(API, CORE, ROOT + ".ui.web")) {
            com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideInAPackage(module + "..")
                    .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                    .because("metrics are an optional module").check(product);
        }
    }

    @Test
    void theExampleThirdPartyPluginUsesOnlyTheApi() {
        ArchitectureRules.usesOnly(ROOT + ".examples.plugin", API).check(product);
        // and its module declares so: relay-api is all it reads
        java.lang.module.ModuleDescriptor plugin = ModuleLayer.boot().findModule(ROOT + ".examples.plugin").orElseThrow()
                .getDescriptor();
        assertEquals(Set.of("java.base", API),
                plugin.requires().stream().map(java.lang.module.ModuleDescriptor.Requires::name).collect(Collectors.toSet()),
                plugin.toString());
    }

    @Test
    void internalPackagesStayInside() {
        for (String module : List.of(API, CORE, EXAMPLES)) {
            ArchitectureRules.internalStaysInside(module).check(product);
        }
        for (String example : EXAMPLE_MODULES) {
            ArchitectureRules.internalStaysInside(example).check(product);
        }
        for (String plugin : PLUGINS) {
            ArchitectureRules.internalStaysInside(plugin).check(product);
        }
        for (String frontEnd : FRONT_ENDS) {
            ArchitectureRules.internalStaysInside(frontEnd).check(product);
        }
    }

    @Test
    void noPackageCycles() {
        ArchitectureRules.noPackageCycles(ROOT).check(product);
    }

    // --- each rule fails on a fixture that breaks it ---

    private static void assertViolated(ArchRule rule, String expectedClass) {
        EvaluationResult r = rule.evaluate(fixtures);
        assertTrue(r.hasViolation(), "rule should have failed: " + rule.getDescription());
        String report = String.join("\n", r.getFailureReport().getDetails());
        assertTrue(report.contains(expectedClass), report);
    }

    @Test
    void apiRuleCatchesAThirdPartyImport() {
        assertViolated(ArchitectureRules.apiUsesOnlyTheJdk(ROOT + ".examples.archfixture.api"), "BadApi");
    }

    @Test
    void addressPolicyRuleCatchesAnApiClassInspectingAddresses() {
        assertViolated(ArchitectureRules.apiHoldsNoAddressPolicy(ROOT + ".examples.archfixture.api"), "AddressPolicyInApi");
    }

    @Test
    void pluginRuleCatchesAPluginUsingCore() {
        String fx = ROOT + ".examples.archfixture";
        assertViolated(ArchitectureRules.pluginIsolated(fx + ".plugin", fx + ".core", List.of(fx + ".api")), "BadPlugin");
    }

    @Test
    void internalRuleCatchesOutsideUse() {
        assertViolated(ArchitectureRules.internalStaysInside(ROOT + ".examples.archfixture.core"), "BadPlugin");
    }

    @Test
    void cycleRuleCatchesACycle() {
        assertViolated(ArchitectureRules.noPackageCycles(ROOT + ".examples.archfixture.cycle"), "archfixture.cycle");
    }
}
