/**
 * Static factories of the built-in load-balancing strategies: {@link io.solconnect.relay.balancers.Balancers}.
 */
package io.solconnect.relay.balancers;
