/** SolConnect Relay module {@code io.solconnect.relay.ui.web}. */
module io.solconnect.relay.ui.web {
    requires io.solconnect.relay.api;
}
