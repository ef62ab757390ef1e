package io.solconnect.relay.examples.archfixture.cycle.b;

import io.solconnect.relay.examples.archfixture.cycle.a.A;

/** Fixture: the other half of a package cycle. */
public final class B {
    A a;
}
