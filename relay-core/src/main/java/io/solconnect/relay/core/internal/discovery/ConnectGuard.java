package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.HostResolver;
import io.solconnect.relay.api.spi.RelayPolicy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One client's address policy as plugins see it ({@link RelayPolicy}): the discovery-time check of
 * {@link RelayAdmission}, and the connect-time check a transport makes after resolving a relay's
 * host (DNS rebinding: a name checked at discovery may resolve elsewhere later).
 *
 * <p>Trusted relays are exactly those in the configuration the client was started with, before
 * settings saved from the status page are applied: the operator wrote them. Every other relay
 * (discovered, reloaded from a saved list, set on the settings page) passes {@link AddressRules}
 * under {@code security.allowPrivateAddresses}, at discovery and again at every connect.
 *
 * <p>The relay pool tells it which resolver each relay's source uses ({@link #useResolvers}), so
 * that a relay found through a configured DNS server is resolved through that server at connect
 * time. Thread-safe: the trusted set is immutable and the resolver map is replaced whole.
 */
public final class ConnectGuard implements RelayPolicy {

    private final RelayAdmission admission;
    private final boolean allowPrivate;
    private final Set<String> trusted;
    private volatile Map<String, HostResolver> resolvers = Map.of();

    /**
     * Creates the guard.
     *
     * @param config the configuration the client was started with; its relays are trusted, its
     *               security settings decide the rules
     */
    public ConnectGuard(RelayConfig config) {
        Objects.requireNonNull(config, "config");
        this.admission = new RelayAdmission(config);
        this.allowPrivate = config.security().allowPrivateAddresses();
        this.trusted = config.relays().stream().map(RelayEndpoint::id).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Tells whether the operator wrote this relay into the start-up configuration.
     *
     * @param relay the relay
     * @return true when it is trusted with loopback and private addresses
     */
    public boolean trusted(RelayEndpoint relay) {
        return trusted.contains(relay.id());
    }

    /**
     * The discovery-time policy this guard applies.
     *
     * @return the admission policy
     */
    public RelayAdmission admission() {
        return admission;
    }

    /**
     * Replaces the resolvers of the relays in use: called by the pool after each change of the
     * merged list, with the resolver of the source that listed each relay.
     *
     * @param byRelayId resolver by {@link RelayEndpoint#id()}; relays not in it use the system resolver
     */
    public void useResolvers(Map<String, HostResolver> byRelayId) {
        this.resolvers = Map.copyOf(byRelayId);
    }

    /**
     * Checks a relay for a run-time change (the settings page): trusted relays pass the scheme
     * check only, every other relay the whole policy for untrusted sources.
     *
     * @param relay the relay
     * @return why it is refused, or empty
     */
    public Optional<String> runTimeRefusal(RelayEndpoint relay) {
        List<RelayEndpoint> one = List.of(relay);
        RelayAdmission.Admitted a = admission.admit(one, Map.of(), List.of(), trusted(relay));
        return a.relays().isEmpty() ? Optional.of(a.rejections().isEmpty() ? "refused" : a.rejections().get(0))
                : Optional.empty();
    }

    @Override
    public Optional<String> refusal(RelayEndpoint relay) {
        return admission.refusal(relay);
    }

    @Override
    public Optional<HostResolver> resolverFor(RelayEndpoint relay) {
        return Optional.ofNullable(resolvers.get(relay.id()));
    }

    @Override
    public Optional<String> refusedAddress(RelayEndpoint relay, InetAddress address) {
        if (trusted(relay)) {
            return Optional.empty();
        }
        return AddressRules.refusedAddress(address, allowPrivate)
                .map(why -> "host '" + relay.url().getHost() + "' resolved at connect time to a refused address: " + why);
    }
}
