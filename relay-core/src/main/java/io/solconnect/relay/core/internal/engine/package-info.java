/**
 * The failover engine, as parts that each own their state: {@link
 * io.solconnect.relay.core.internal.engine.FailoverEngine} (the front door that builds the parts),
 * {@code Timings} (settings and derived timings), {@code Links} (links and their roles),
 * {@code Connector} (connecting, room joins, the resume gate), {@code RelayBook} (selection,
 * backoff, ejection, local-outage detection), {@code FailoverCoordinator} (the session state and
 * failovers), {@code Reconciler} (the goal of a primary and standbys, health checks,
 * convergence), {@code OutboxWriter} (admission, encoding once, writing from the outbox cursor,
 * acks), {@code Republisher} and {@code Pacer} (re-publication, catch-up, resends),
 * {@code FrameRouter} (inbound frames to their part), {@code Inbound} (dedup, per-sender order,
 * delivery), {@code Counters} and {@code StatusView}.
 *
 * <p><b>Thread model.</b> All mutable engine state belongs to one serial loop ({@code EngineLoop}):
 * its tasks run one at a time, each to its end, in queue order, and no lock is held while one runs.
 * The loop is a turn, not a thread. Transport callbacks (frames, pongs, closes, connect
 * completions, a monitor's dead-link verdict) are posted to it, never run inside the transport's
 * call; a frame is decoded on the transport's thread first, since protocols are thread-safe.
 * Timers on the injected {@code Scheduler} (ack tick, health check, wake-ups, paced writes, stable
 * checks, ejection restore, order and ask timers) run their task at once when the loop is free and
 * queue it otherwise; the connect guard and the resume timeout are posted. Discovery changes are
 * posted; {@code retune} runs in turn without waiting. The application's {@code send},
 * {@code join}, {@code status}, {@code start} and {@code stop} run their part as a loop task, on
 * the caller's thread when the loop is free, else waiting for the loop to run it; {@code send}
 * writes the durable store on the caller's thread, outside the loop, between admitting and
 * accepting the message. Application callbacks (messages, events, send completions) run on their
 * own serial lanes over the listener executor, so a slow listener never blocks the loop. Under a
 * virtual scheduler everything runs on the test's thread, deterministically.
 */
package io.solconnect.relay.core.internal.engine;
