package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * DNS questions to the configured resolver, with the answer's records of the asked type and
 * owner name, or an error that says which of NXDOMAIN, SERVFAIL, timeout, unreachable server,
 * deadline passed or malformed response it was. Each question waits at most the per-query timeout
 * and never past the deadline of the current lookup ({@link #startLookup}). Not thread-safe: used
 * from one thread at a time.
 */
final class DnsQuery {

    /** The records of the asked type at the asked name; empty for NOERROR with no data. */
    record Answer(List<org.xbill.DNS.Record> records) {
        Answer {
            records = List.copyOf(records);
        }
    }

    private final Resolver resolver;
    private final String resolverText;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private long deadlineNanos;

    /**
     * @param resolver     the resolver to ask
     * @param resolverText its address, for messages
     * @param timeout      the longest one question may wait
     * @param nanoTime     the monotonic clock the deadline is measured on, in nanoseconds
     */
    DnsQuery(Resolver resolver, String resolverText, Duration timeout, LongSupplier nanoTime) {
        this.resolver = resolver;
        this.resolverText = resolverText;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        this.deadlineNanos = nanoTime.getAsLong() + timeout.toNanos();
    }

    /** Starts a lookup that must end within {@code deadline} from now. */
    void startLookup(Duration deadline) {
        deadlineNanos = nanoTime.getAsLong() + deadline.toNanos();
    }

    /** The time left before the lookup's deadline; empty once it has passed (under 1 ms left). */
    Optional<Duration> remaining() {
        long left = deadlineNanos - nanoTime.getAsLong();
        return left >= 1_000_000 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }

    String resolverText() {
        return resolverText;
    }

    Result<Answer> ask(Name name, int type) {
        String q = name.toString(true) + " " + Type.string(type);
        Optional<Duration> left = remaining();
        if (left.isEmpty()) {
            return Result.err(ErrorCode.TIMEOUT, "DNS lookup deadline passed before asking " + resolverText + " for " + q);
        }
        resolver.setTimeout(left.get().compareTo(timeout) < 0 ? left.get() : timeout);
        Message response;
        try {
            response = resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(name, type, DClass.IN)));
        } catch (WireParseException e) {
            return Result.err(ErrorCode.BAD_INPUT, "malformed DNS response from " + resolverText + " for " + q
                    + ": " + e.getMessage());
        } catch (PortUnreachableException e) {
            return Result.err(ErrorCode.IO, "no DNS server at " + resolverText + " (port unreachable) for " + q);
        } catch (IOException e) {
            if (isTimeout(e)) {
                return Result.err(ErrorCode.TIMEOUT, "DNS timeout: no answer from " + resolverText + " for " + q);
            }
            if (e.getCause() instanceof WireParseException w) {
                return Result.err(ErrorCode.BAD_INPUT, "malformed DNS response from " + resolverText + " for " + q
                        + ": " + w.getMessage());
            }
            return Result.err(ErrorCode.IO, "DNS query to " + resolverText + " for " + q + " failed: " + e);
        } catch (RuntimeException e) {
            // dnsjava reports some malformed wire data as unchecked exceptions.
            return Result.err(ErrorCode.BAD_INPUT, "malformed DNS response from " + resolverText + " for " + q
                    + ": " + e);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return Result.err(ErrorCode.DISCOVERY_FAILED, "NXDOMAIN: " + name.toString(true)
                    + " does not exist (resolver " + resolverText + ")");
        }
        if (rcode == Rcode.SERVFAIL) {
            return Result.err(ErrorCode.DISCOVERY_FAILED, "SERVFAIL: resolver " + resolverText
                    + " could not answer for " + q);
        }
        if (rcode != Rcode.NOERROR) {
            return Result.err(ErrorCode.DISCOVERY_FAILED, Rcode.string(rcode) + " from resolver " + resolverText
                    + " for " + q);
        }
        List<org.xbill.DNS.Record> out = new ArrayList<>();
        for (org.xbill.DNS.Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type && r.getName().equals(name) && r.getDClass() == DClass.IN) {
                out.add(r);
            }
        }
        return Result.ok(new Answer(out));
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return e.getMessage() != null && e.getMessage().startsWith("Timed out");
    }
}
