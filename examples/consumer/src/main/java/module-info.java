/** An application using SolConnect Relay on the module path; the plugins are bound by the JDK. */
module com.example.consumer {
    requires io.solconnect.relay.api;
    requires io.solconnect.relay.core;
}
