package io.solconnect.relay.examples.archfixture.api;

/** Fixture: an "API" class that uses a third-party library (SLF4J), which the API rule forbids. */
public final class BadApi {
    final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BadApi.class);
}
