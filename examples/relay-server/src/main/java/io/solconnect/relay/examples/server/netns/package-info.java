/**
 * Kernel-made network faults for the end-to-end tests and {@code bench failover}: a
 * {@link io.solconnect.relay.examples.server.netns.NetNs} (a Linux network namespace and a veth pair
 * to it: link down, {@code tbf} rate limit) and a
 * {@link io.solconnect.relay.examples.server.netns.NamespacedRelay} (the reference relay as a child
 * process inside one). Needs root; callers skip when
 * {@link io.solconnect.relay.examples.server.netns.NetNs#unavailableReason()} says why not.
 */
package io.solconnect.relay.examples.server.netns;
