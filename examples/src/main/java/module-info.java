/** SolConnect Relay module {@code io.solconnect.relay.examples}. */
module io.solconnect.relay.examples {
    requires io.solconnect.relay.api;
}
