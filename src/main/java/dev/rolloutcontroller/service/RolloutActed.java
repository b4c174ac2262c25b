package dev.rolloutcontroller.service;

/**
 * Fired inside the transaction of every applied action, by an operator or by the evaluator.
 *
 * @param action    the action's metric label: {@code start}, {@code advance}, {@code step_back}, {@code pause},
 *                  {@code resume}, {@code rollback}, {@code restart}, or the evaluator's {@code mark_ready}
 * @param automatic true when the evaluator acted
 */
public record RolloutActed(String rolloutKey, String action, boolean automatic) {
}
