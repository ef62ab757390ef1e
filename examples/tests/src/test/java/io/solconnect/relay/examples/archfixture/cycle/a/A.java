package io.solconnect.relay.examples.archfixture.cycle.a;

import io.solconnect.relay.examples.archfixture.cycle.b.B;

/** Fixture: half of a package cycle. */
public final class A {
    B b;
}
