/**
 * The engine's public entry points: {@code RelayManager}, the {@code ProviderRegistry} and the
 * configuration loader. Everything else lives in {@code internal} packages, which are not exported.
 */
package io.solconnect.relay.core;
