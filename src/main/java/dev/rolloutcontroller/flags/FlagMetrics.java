package dev.rolloutcontroller.flags;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.LongAdder;

/**
 * {@code rollout.flag.reads{endpoint,outcome}}: every counter is registered up front, so counting a
 * read is an array look-up and an increment. Tags take a handful of values; never a session id.
 * Created at startup, so every series exists (at 0) before the first read. Each series is a
 * function counter over a LongAdder, read at scrape time: a Counter on Quarkus' composite registry
 * passed every increment on to each registry behind it (2% of the env-text read's samples). Both
 * export as the same Prometheus counter.
 */
@Startup
@ApplicationScoped
public class FlagMetrics {

    enum Endpoint {
        SESSION("session"),
        FLEET("fleet"),
        EVALUATE("evaluate"),
        SESSION_ALL("session-all-rollouts"),
        STREAM("stream"),
        OFREP("ofrep"),
        OFREP_BULK("ofrep-bulk");

        final String tag;

        Endpoint(String tag) {
            this.tag = tag;
        }
    }

    enum Outcome {
        OK("ok"),
        NOT_MODIFIED("not-modified"),
        NOT_FOUND("not-found"),
        INVALID("invalid");

        final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    /** Held here: a function counter keeps only a weak reference to what it reads. */
    private final LongAdder[][] reads = new LongAdder[Endpoint.values().length][Outcome.values().length];

    FlagMetrics(MeterRegistry registry, FlagStreams streams, FlagStore store) {
        for (Endpoint endpoint : Endpoint.values()) {
            for (Outcome outcome : Outcome.values()) {
                LongAdder count = new LongAdder();
                reads[endpoint.ordinal()][outcome.ordinal()] = count;
                FunctionCounter.builder("rollout.flag.reads", count, LongAdder::doubleValue)
                        .description("Flag reads served from the in-memory snapshot")
                        .tag("endpoint", endpoint.tag)
                        .tag("outcome", outcome.tag)
                        .register(registry);
            }
        }
        Gauge.builder("rollout.flag.streams", streams, FlagStreams::open)
                .description("Open server-sent-event flag streams")
                .register(registry);
        Gauge.builder("rollout.flag.snapshot.read.timestamp.seconds", store,
                        s -> s.readAt().map(at -> at.toEpochMilli() / 1000.0).orElse(Double.NaN))
                .description("When the flag snapshot was last read from the database in full (Unix time)")
                .register(registry);
    }

    void count(Endpoint endpoint, Outcome outcome) {
        reads[endpoint.ordinal()][outcome.ordinal()].increment();
    }
}
