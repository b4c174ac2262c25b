package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.Comparison;
import dev.rolloutcontroller.domain.MetricCondition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest parts of a rate trigger's window, judged beside the whole window: its last half, quarter and so on, in
 * whole seconds, down to {@link #HALVINGS} halvings and not under a second.
 *
 * <p>A regression that starts inside the window shares it with the healthy reports before it: with a 30 s window, a
 * 6% error rate passes a "> 5%" trigger's lower bound only once about 88% of the window's cycles are faulty, some
 * 22 s after it started. The newest quarter that is all faulty says so as soon as it holds enough cycles. So a rate
 * trigger is breached when the whole window or any of these stretches is, each stretch with the trigger's minimum
 * sample (decision 0016).
 *
 * <p>Judging one rate several times gives noise several chances. The stretches are therefore judged on the 99%
 * Wilson bound ({@link Wilson#Z99}), which leaves each of the five stretches at most 0.5% one-sided, so the stretches
 * together add no more than the 2.5% the whole window already allows: a healthy rate right at the limit is seen
 * breached at most twice as often, and one clearly under it practically never. Only rates with {@code <}, {@code ≤},
 * {@code >} or {@code ≥} qualify: their bound grows with the sample, so a short stretch cannot breach on a handful of
 * samples. A point estimate (a p95, a maximum, a count) has no such guard, and a maximum or a count over a stretch
 * can never exceed the window's anyway.
 */
final class NewestStretches {

    /** How many times the window is halved: 30 s down to 1 s, 10 min down to 18 s. */
    static final int HALVINGS = 5;

    private NewestStretches() {
    }

    /** Whether a trigger's condition is also judged over the newest stretches of its window. */
    static boolean applies(MetricCondition condition) {
        return condition.window() != null && Format.isRate(condition.metric()) && condition.op() != Comparison.EQ;
    }

    /** The statistics of the stretches, longest first: the trigger's own key with a shorter window. */
    static List<StatKey> keys(MetricCondition condition) {
        StatKey whole = StatKey.of(condition, false);
        List<StatKey> keys = new ArrayList<>(HALVINGS);
        long seconds = condition.window().getSeconds();
        for (int halving = 1; halving <= HALVINGS; halving++) {
            long stretch = seconds >> halving;
            if (stretch < 1) {
                break;
            }
            keys.add(new StatKey(whole.metric(), whole.category(), whole.path(), Duration.ofSeconds(stretch), false, whole.query()));
        }
        return keys;
    }
}
