package io.solconnect.relay.examples.archfixture.api;

import java.net.InetAddress;

/** Fixture: an "API" class that classifies addresses, which belongs in the core's discovery policy. */
public final class AddressPolicyInApi {
    static boolean refused(InetAddress address) {
        return address.isLoopbackAddress() || address.isSiteLocalAddress();
    }
}
