package io.solconnect.relay.core;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.HealthScorerProvider;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.ProtocolProvider;
import io.solconnect.relay.api.spi.StoreProvider;
import io.solconnect.relay.api.spi.TransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Finds the providers of every SPI with {@link ServiceLoader} and selects them by name.
 * Immutable once loaded and thread-safe.
 *
 * <p>Rules, in the order they apply:
 * <ol>
 *   <li>Every provider is instantiated on its own. One that fails to load (a
 *       {@link ServiceConfigurationError}, or a {@code name()} that throws or is not a valid lowercase
 *       name) is logged, recorded in {@link #problems()} and skipped; the others are unaffected.</li>
 *   <li>The same class found twice (module path and class path) counts once.</li>
 *   <li>Two different classes with one name for one SPI are both listed, recorded as a problem, and
 *       selecting that name fails with {@link ErrorCode#DUPLICATE_PROVIDER} naming both classes.</li>
 *   <li>Selecting a name nobody provides fails with {@link ErrorCode#UNKNOWN_PROVIDER} listing the
 *       names that were found.</li>
 * </ol>
 */
public final class ProviderRegistry {

    private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

    /** The SPIs the registry looks for, in the order {@link #providers()} lists them. */
    static final List<Class<?>> SPIS = List.of(DiscoveryProvider.class, HealthScorerProvider.class,
            LoadBalancerProvider.class, TransportProvider.class, ProtocolProvider.class, StoreProvider.class);

    private static final int MAX_PROVIDERS_PER_SPI = 1000;

    private final Map<Class<?>, Map<String, List<Object>>> bySpi;
    private final List<ProviderInfo> infos;
    private final List<RelayError> problems;

    private ProviderRegistry(Map<Class<?>, Map<String, List<Object>>> bySpi, List<ProviderInfo> infos,
                             List<RelayError> problems) {
        this.bySpi = bySpi;
        this.infos = List.copyOf(infos);
        this.problems = List.copyOf(problems);
    }

    /**
     * Loads every provider visible to this module: those on the module path (through this module's
     * {@code uses} clauses) and those listed in {@code META-INF/services} on the class path of the
     * thread's context class loader.
     *
     * @return the registry; never fails (problems are in {@link #problems()})
     */
    public static ProviderRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : ProviderRegistry.class.getClassLoader());
    }

    /**
     * Loads every provider visible through a class loader (and the module layers it sees).
     *
     * @param loader the class loader to search
     * @return the registry
     */
    public static ProviderRegistry load(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        return build(spi -> ServiceLoader.load(spi, loader));
    }

    private static ProviderRegistry build(Function<Class<Object>, ServiceLoader<Object>> loaderFor) {
        Map<Class<?>, Map<String, List<Object>>> bySpi = new LinkedHashMap<>();
        List<ProviderInfo> infos = new ArrayList<>();
        List<RelayError> problems = new ArrayList<>();
        for (Class<?> spi : SPIS) {
            @SuppressWarnings("unchecked")
            Class<Object> type = (Class<Object>) spi;
            Map<String, List<Object>> byName = new LinkedHashMap<>();
            TreeSet<String> seenClasses = new TreeSet<>();
            Iterator<Object> it = loaderFor.apply(type).iterator();
            for (int i = 0; i < MAX_PROVIDERS_PER_SPI; i++) {
                Object provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    String msg = spi.getSimpleName() + " provider failed to load and was skipped: " + describe(e);
                    log.warn(msg);
                    problems.add(RelayError.of(ErrorCode.PROVIDER_FAILED, msg));
                    continue;
                }
                String className = provider.getClass().getName();
                if (!seenClasses.add(className)) {
                    continue;
                }
                String name;
                try {
                    name = nameOf(provider);
                } catch (RuntimeException | LinkageError e) {
                    String msg = spi.getSimpleName() + " provider " + className + " failed in name() and was skipped: " + describe(e);
                    log.warn(msg);
                    problems.add(RelayError.of(ErrorCode.PROVIDER_FAILED, msg));
                    continue;
                }
                if (!io.solconnect.relay.api.ProviderChoice.validName(name)) {
                    String msg = spi.getSimpleName() + " provider " + className + " has an invalid name '" + name
                            + "' (must match [a-z0-9][a-z0-9-]{0,63}) and was skipped";
                    log.warn(msg);
                    problems.add(RelayError.of(ErrorCode.PROVIDER_FAILED, msg));
                    continue;
                }
                List<Object> same = byName.computeIfAbsent(name, k -> new ArrayList<>());
                same.add(provider);
                if (same.size() > 1) {
                    String msg = duplicateMessage(spi, name, same);
                    log.warn(msg);
                    problems.add(RelayError.of(ErrorCode.DUPLICATE_PROVIDER, msg));
                }
                infos.add(new ProviderInfo(spi.getSimpleName(), name, moduleOf(provider), className));
                log.debug("found {} '{}' ({}) in {}", spi.getSimpleName(), name, className, moduleOf(provider));
            }
            bySpi.put(spi, byName);
        }
        infos.sort(Comparator.comparingInt((ProviderInfo p) -> spiIndex(p.spi())).thenComparing(ProviderInfo::name)
                .thenComparing(ProviderInfo::className));
        return new ProviderRegistry(bySpi, infos, problems);
    }

    /**
     * Selects a provider of an SPI by name.
     *
     * @param spi  the SPI, one of the six in {@code io.solconnect.relay.api.spi}
     * @param name the configured name
     * @param <P>  the SPI type
     * @return the provider, or {@link ErrorCode#UNKNOWN_PROVIDER} listing the names found, or
     *         {@link ErrorCode#DUPLICATE_PROVIDER} naming both classes
     * @throws IllegalArgumentException if {@code spi} is not one of the SPIs
     */
    public <P> Result<P> select(Class<P> spi, String name) {
        Map<String, List<Object>> byName = bySpi.get(spi);
        if (byName == null) {
            throw new IllegalArgumentException(spi.getName() + " is not a SolConnect Relay SPI");
        }
        List<Object> found = byName.get(name);
        if (found == null || found.isEmpty()) {
            return Result.err(ErrorCode.UNKNOWN_PROVIDER, "no " + shortSpiName(spi.getSimpleName()) + " provider named '"
                    + name + "'; found: " + (byName.isEmpty() ? "none" : String.join(", ", new TreeSet<>(byName.keySet())))
                    + " (is its module on the module path?)");
        }
        if (found.size() > 1) {
            return Result.err(ErrorCode.DUPLICATE_PROVIDER, duplicateMessage(spi, name, found));
        }
        log.debug("selected {} '{}' ({})", spi.getSimpleName(), name, found.get(0).getClass().getName());
        return Result.ok(spi.cast(found.get(0)));
    }

    /**
     * The names found for an SPI, sorted.
     *
     * @param spi the SPI
     * @return the names
     */
    public List<String> names(Class<?> spi) {
        Map<String, List<Object>> byName = bySpi.get(spi);
        return byName == null ? List.of() : List.copyOf(new TreeSet<>(byName.keySet()));
    }

    /**
     * Every provider found, sorted by SPI and name.
     *
     * @return the providers
     */
    public List<ProviderInfo> providers() {
        return infos;
    }

    /**
     * What went wrong while loading: providers that failed and were skipped, duplicate names.
     *
     * @return the problems, empty when all went well
     */
    public List<RelayError> problems() {
        return problems;
    }

    static String shortSpiName(String spiSimpleName) {
        return switch (spiSimpleName) {
            case "DiscoveryProvider" -> "discovery";
            case "HealthScorerProvider" -> "health-scorer";
            case "LoadBalancerProvider" -> "balancer";
            case "TransportProvider" -> "transport";
            case "ProtocolProvider" -> "protocol";
            case "StoreProvider" -> "store";
            default -> spiSimpleName;
        };
    }

    private static int spiIndex(String simpleName) {
        for (int i = 0; i < SPIS.size(); i++) {
            if (SPIS.get(i).getSimpleName().equals(simpleName)) {
                return i;
            }
        }
        return SPIS.size();
    }

    private static String duplicateMessage(Class<?> spi, String name, List<Object> same) {
        List<String> classes = same.stream().map(p -> p.getClass().getName()).toList();
        return "two " + shortSpiName(spi.getSimpleName()) + " providers are named '" + name + "': "
                + String.join(" and ", classes);
    }

    private static String nameOf(Object provider) {
        String n;
        if (provider instanceof DiscoveryProvider p) {
            n = p.name();
        } else if (provider instanceof HealthScorerProvider p) {
            n = p.name();
        } else if (provider instanceof LoadBalancerProvider p) {
            n = p.name();
        } else if (provider instanceof TransportProvider p) {
            n = p.name();
        } else if (provider instanceof ProtocolProvider p) {
            n = p.name();
        } else if (provider instanceof StoreProvider p) {
            n = p.name();
        } else {
            throw new IllegalStateException("not a provider: " + provider.getClass().getName());
        }
        return Objects.requireNonNull(n, "name() returned null");
    }

    private static String moduleOf(Object provider) {
        Module m = provider.getClass().getModule();
        return m.isNamed() ? m.getName() : "(class path)";
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 3; depth++, c = c.getCause()) {
            sb.append(" caused by ").append(c);
        }
        return sb.toString();
    }
}
