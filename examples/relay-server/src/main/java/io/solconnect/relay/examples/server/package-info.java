/**
 * A SolConnect-compatible relay server with fault injection: {@link
 * io.solconnect.relay.examples.server.RelayServer} (Java API) and {@code ./relay relay-server}
 * ({@link io.solconnect.relay.examples.server.RelayServerCommand}).
 */
package io.solconnect.relay.examples.server;
