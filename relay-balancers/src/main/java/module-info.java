/** SolConnect Relay module {@code io.solconnect.relay.balancers}. */
module io.solconnect.relay.balancers {
    requires io.solconnect.relay.api;
}
