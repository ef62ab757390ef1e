/**
 * DNS discovery for SolConnect Relay: the {@code dns} {@link io.solconnect.relay.api.spi.DiscoveryProvider}
 * reads relays from DNS SRV records and their TXT metadata through a configurable resolver.
 * Exports nothing; the provider is found with {@link java.util.ServiceLoader}.
 */
module io.solconnect.relay.discovery.dns {
    requires io.solconnect.relay.api;
    requires org.dnsjava;
    requires org.slf4j;

    provides io.solconnect.relay.api.spi.DiscoveryProvider
            with io.solconnect.relay.discovery.dns.DnsDiscoveryProvider;
}
