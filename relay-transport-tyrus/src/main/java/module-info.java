/** SolConnect Relay module {@code io.solconnect.relay.transport.tyrus}. */
module io.solconnect.relay.transport.tyrus {
    requires io.solconnect.relay.api;
}
