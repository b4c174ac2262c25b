package dev.rolloutcontroller.flags;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code rollout.flag.reads{endpoint,outcome}}: every counter is registered up front, so counting a
 * read is an array look-up and an increment. Tags take a handful of values; never a session id.
 * Created at startup, so every series exists (at 0) before the first read.
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

    private final Counter[][] reads = new Counter[Endpoint.values().length][Outcome.values().length];

    FlagMetrics(MeterRegistry registry, FlagStreams streams, FlagStore store) {
        for (Endpoint endpoint : Endpoint.values()) {
            for (Outcome outcome : Outcome.values()) {
                reads[endpoint.ordinal()][outcome.ordinal()] = Counter.builder("rollout.flag.reads")
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
