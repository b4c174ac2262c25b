package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.TriggerAction;

/**
 * One trigger's state in one evaluation.
 *
 * @param index       the trigger's position in the plan's list (the key of the streaks)
 * @param breached    the condition holds now, with enough data (always false while triggers are not watched)
 * @param streak      consecutive evaluations breached, this one included
 * @param consecutive breaches in a row needed to fire
 * @param observed    the figure (the point estimate for rates), null when nothing was seen
 * @param threshold   the limit, null when unknown (e.g. no baseline yet)
 * @param fired       {@code streak >= consecutive}: the trigger acts in this evaluation
 * @param detail      a human sentence: what was seen against the limit
 */
public record TriggerResult(
        int index,
        String metric,
        String description,
        boolean breached,
        int streak,
        int consecutive,
        Double observed,
        Double threshold,
        Long samples,
        TriggerAction action,
        boolean fired,
        String detail) {
}
