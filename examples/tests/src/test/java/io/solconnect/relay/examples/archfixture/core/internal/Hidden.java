package io.solconnect.relay.examples.archfixture.core.internal;

/** Fixture: an internal class of the "core". */
public final class Hidden {
    /** Does nothing. */
    public static void touch() {
    }
}
