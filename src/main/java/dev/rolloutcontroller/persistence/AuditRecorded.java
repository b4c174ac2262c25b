package dev.rolloutcontroller.persistence;

/**
 * Fired synchronously by {@link AuditLog#record} inside the transaction that wrote the event, so an
 * observer's writes (the webhook outbox) commit or roll back with it. Persistence only announces;
 * whoever cares observes, and nothing here depends on them.
 */
public record AuditRecorded(EventEntity event) {
}
