/**
 * No code of its own: the examples' cross-module tests are patched into this module by Surefire
 * and Failsafe and run on the module path, like the launcher. It reads every module they use, so
 * that all of them are in the boot layer: the end-to-end tests (real relays on loopback, the
 * launcher's processes), {@code ArchitectureTest} (which imports every module of the product
 * from the boot layer), {@code MainTest} (every subcommand through the launcher),
 * {@code ReadmeSnippetTest} and {@code ConsumerProjectIT}.
 */
module io.solconnect.relay.examples.tests {
    requires io.solconnect.relay.api;
    requires io.solconnect.relay.core;
    requires io.solconnect.relay.discovery.dns;
    requires io.solconnect.relay.discovery.bootstrap;
    requires io.solconnect.relay.balancers;
    requires io.solconnect.relay.transport.tyrus;
    requires io.solconnect.relay.ui.web;
    requires io.solconnect.relay.metrics.micrometer;
    requires micrometer.registry.prometheus;
    requires java.logging;
    requires com.fasterxml.jackson.databind; // the scripted relay of BatchingE2ETest

    requires io.solconnect.relay.examples;
    requires io.solconnect.relay.examples.server;
    requires io.solconnect.relay.examples.cli;
    requires io.solconnect.relay.examples.demo;
    requires io.solconnect.relay.examples.bench;
    requires io.solconnect.relay.examples.plugin;
}
