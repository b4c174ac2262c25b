/**
 * The evaluator's brain, as pure functions: {@link dev.rolloutcontroller.domain.evaluation.RolloutEngine#evaluate}
 * turns a rollout, the window statistics and the sign-offs into a
 * {@link dev.rolloutcontroller.domain.evaluation.Decision} (every gate's and trigger's verdict, with what was seen
 * and what was needed, and the one action to take). No clock, no randomness, no I/O: the caller gathers
 * {@link dev.rolloutcontroller.domain.evaluation.RolloutEngine#requiredStats the statistics} and passes the time in.
 */
package dev.rolloutcontroller.domain.evaluation;
