package io.solconnect.relay.core;

import java.util.Objects;

/**
 * One provider found by the {@link ProviderRegistry}. Immutable and thread-safe.
 *
 * @param spi       the SPI's simple name, e.g. {@code "DiscoveryProvider"}
 * @param name      the provider's {@code name()}
 * @param module    the JPMS module that holds it, or {@code "(class path)"} for the unnamed module
 * @param className the provider's class name
 */
public record ProviderInfo(String spi, String name, String module, String className) {

    /**
     * Checks for nulls.
     *
     * @param spi       the SPI's simple name
     * @param name      the provider's name
     * @param module    the module holding it
     * @param className the provider's class name
     */
    public ProviderInfo {
        Objects.requireNonNull(spi, "spi");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(className, "className");
    }

    /**
     * The line {@code ./relay plugins} prints: {@code <spi> <name> <module>}, with the SPI written
     * in lowercase words ({@code discovery}, {@code balancer}, ...).
     *
     * @return the line
     */
    public String line() {
        return ProviderRegistry.shortSpiName(spi) + " " + name + " " + module;
    }
}
