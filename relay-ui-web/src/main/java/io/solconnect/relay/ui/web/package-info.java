/**
 * The web status page of a {@link io.solconnect.relay.api.RelayClient}: {@link
 * io.solconnect.relay.ui.web.StatusServer} serves a live status page, a settings page and a
 * JSON/Server-Sent-Events API on the loopback interface, configured by {@link
 * io.solconnect.relay.ui.web.StatusServerOptions}. Everything else in this package is internal.
 */
package io.solconnect.relay.ui.web;
