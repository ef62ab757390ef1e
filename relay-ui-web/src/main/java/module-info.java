/**
 * The SolConnect Relay web status page: a live status page, a settings page and a JSON/SSE API
 * for any {@link io.solconnect.relay.api.RelayClient}, served by the JDK's embedded HTTP server on
 * the loopback interface. Start it with {@link io.solconnect.relay.ui.web.StatusServer#start}.
 */
module io.solconnect.relay.ui.web {
    requires transitive io.solconnect.relay.api;
    requires io.solconnect.relay.core; // RelayConfigs: the one JSON form of RelayConfig
    requires jdk.httpserver;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.solconnect.relay.ui.web;
}
