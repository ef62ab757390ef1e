/**
 * Service-provider interfaces. Each SPI is a cheap, stateless factory with a stable lowercase
 * {@code name()} and one {@code create(PluginContext)} method that builds the working object.
 *
 * <p><b>Selection rule</b> (the same for every SPI): the engine loads every provider of the SPI with
 * {@link java.util.ServiceLoader} (module path and class path). Each provider is instantiated on
 * its own; one that fails to load is reported and skipped and never affects the others. Two
 * providers with one name are an error naming both classes. The configuration names the provider
 * to use; an unknown name is a {@link io.solconnect.relay.api.Result} error listing the names
 * found. Providers must do no I/O in their constructor or in {@code name()}.
 */
package io.solconnect.relay.api.spi;
