/**
 * Values and contracts shared by the engine, the plugins and applications.
 *
 * <p>All types here are immutable values or interfaces; records validate their components in
 * their constructors and throw {@link java.lang.IllegalArgumentException} naming the bad value.
 * No method accepts or returns {@code null}: absent values are {@link java.util.Optional}.
 */
package io.solconnect.relay.api;
