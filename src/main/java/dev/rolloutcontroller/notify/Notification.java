package dev.rolloutcontroller.notify;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One notification as the {@code json} format sends it. {@code id} is the audit event's id (also sent
 * as {@code X-Rollout-Event-Id}, the same on every retry); {@code summary} is the one line a person
 * reads (the Slack text); {@code values} depends on the type (docs/operations.md lists them).
 *
 * @param rollout    the rollout key (null for a test)
 * @param status     the rollout's status after the event
 * @param previous   the rollout's state before it (null when the event changed no state)
 * @param links      the rollout, its audit log and its decision journal; absolute when
 *                   {@code rollout.webhooks.public-url} is set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(long id, String type, String time, String rollout, String status, String step,
                           Integer percentage, Long version, State previous, String actor, String reason,
                           String summary, Map<String, Object> values, Map<String, String> links) {

    /** Where the rollout stood. */
    public record State(String status, String step, Integer percentage) {
    }
}
