package dev.rolloutcontroller.api;

import dev.rolloutcontroller.persistence.EventEntity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record EventResponse(long id, String rollout, String type, String actor, String reason,
                            Map<String, Object> before, Map<String, Object> after, Instant time) {

    static EventResponse of(EventEntity e) {
        return new EventResponse(e.id, e.rolloutKey, e.type, e.actor, e.reason, e.before, e.after, e.occurredAt);
    }

    /** One page, newest first; pass {@code nextBefore} as {@code before} for the next page. */
    public record Page(List<EventResponse> events, Long nextBefore) {
    }
}
