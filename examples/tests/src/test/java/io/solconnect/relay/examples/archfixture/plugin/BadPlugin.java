package io.solconnect.relay.examples.archfixture.plugin;

import io.solconnect.relay.examples.archfixture.core.internal.Hidden;

/** Fixture: a "plugin" that reaches into the core's internals, which two rules forbid. */
public final class BadPlugin {
    void run() {
        Hidden.touch();
    }
}
