/**
 * Bootstrap-server discovery for SolConnect Relay: the {@code bootstrap}
 * {@link io.solconnect.relay.api.spi.DiscoveryProvider} reads a JSON relay list from one or more
 * HTTPS URLs. Exports nothing; the provider is found with {@link java.util.ServiceLoader}.
 */
module io.solconnect.relay.discovery.bootstrap {
    requires io.solconnect.relay.api;
    requires com.fasterxml.jackson.core;
    requires java.net.http;
    requires org.slf4j;

    provides io.solconnect.relay.api.spi.DiscoveryProvider
            with io.solconnect.relay.discovery.bootstrap.BootstrapDiscoveryProvider;
}
