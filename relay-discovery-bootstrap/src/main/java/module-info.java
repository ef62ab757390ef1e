/** SolConnect Relay module {@code io.solconnect.relay.discovery.bootstrap}. */
module io.solconnect.relay.discovery.bootstrap {
    requires io.solconnect.relay.api;
}
