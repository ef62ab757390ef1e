/** SolConnect Relay module {@code io.solconnect.relay.discovery.dns}. */
module io.solconnect.relay.discovery.dns {
    requires io.solconnect.relay.api;
}
