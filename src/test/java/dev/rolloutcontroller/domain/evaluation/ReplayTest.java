package dev.rolloutcontroller.domain.evaluation;

import dev.rolloutcontroller.domain.EnvMapping;
import dev.rolloutcontroller.domain.Freeze;
import dev.rolloutcontroller.domain.Metric;
import dev.rolloutcontroller.domain.Plan;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.RolloutStatus;
import dev.rolloutcontroller.domain.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay's pure part: window statistics from recorded rows, the state at a time, and the simulated passes. */
class ReplayTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** Minute i (0..9) of the new path: 100 reports, 1,000 cycles, i errors, p95 40 ms, max 100 + i ms. */
    private static RecordedTelemetry tenMinutes() {
        List<RecordedTelemetry.RollupRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new RecordedTelemetry.RollupRow("new", T0.plusSeconds(60L * i), 100, 1000, i, 40.0 * 1000, 100 + i,
                    1000 + i, 450));
        }
        return new RecordedTelemetry(rows, List.of(new RecordedTelemetry.TicketCount(T0.plusSeconds(30), 2)),
                List.of(new RecordedTelemetry.ComparisonCount("idle", T0.plusSeconds(90), 100, 3)),
                List.of(new SmokeResult("agent-discovery", false, T0.plusSeconds(100)),
                        new SmokeResult("agent-discovery", true, T0.plusSeconds(200))));
    }

    @ParameterizedTest(name = "{0} over [{1} s, {2} s] → reports {3}, errors {4}, max {5}")
    @CsvSource({
            "0,   0, 100, 1, 0, 100",
            "0, 599, 1000, 10, 45, 109",
            "120, 299, 300, 3, 9, 104",
            "590, 3600, 100, 1, 9, 109",
            "900, 3600, 0, 0, 0, -1"})
    void shouldSumTheRollupsOfTheMinutesInTheWindow(long fromSeconds, long nowSeconds, long reports, long minutes, long errors,
                                                    double max) {
        RollupTotals totals = tenMinutes().rollupTotals("new", T0.plusSeconds(fromSeconds), T0.plusSeconds(nowSeconds));
        assertEquals(reports, totals.reports());
        assertEquals(minutes * 1000, totals.cycles());
        assertEquals(errors, totals.errors());
        assertEquals(max < 0 ? null : max, totals.maxCycleMs());
    }

    @Test
    void shouldReadEveryRecordedMetricAsTheLiveStatisticsDo() {
        RecordedTelemetry recorded = tenMinutes();
        Instant now = T0.plusSeconds(599);
        StatKey errorRate = new StatKey("error_rate", null, "new", Duration.ofMinutes(5), true);
        Observation rate = recorded.observe(errorRate, T0, now);
        // The window starts at 04:59, and the minute it starts in counts whole, as in the live query.
        assertEquals(6000, rate.samples());
        assertEquals(4 + 5 + 6 + 7 + 8 + 9, rate.events());
        assertEquals(40.0, recorded.observe(new StatKey("cycle_time_p95_ms", null, "new", null, true), T0, now).value(), 1e-9);
        assertEquals(2, recorded.observe(new StatKey("support_tickets", null, "new", null, true), T0, now).value());
        assertEquals(0, recorded.observe(new StatKey("support_tickets", null, "new", null, true), T0.plusSeconds(31), now).value());
        Observation mismatches = recorded.observe(new StatKey("shadow_mismatch_rate", "idle", "new", null, true), T0, now);
        assertEquals(3, mismatches.events());
        assertEquals(100, mismatches.samples());
        StatKey smoke = new StatKey("smoke_failures", null, "new", null, true);
        assertEquals(1, recorded.observe(smoke, T0, T0.plusSeconds(150)).value());
        assertEquals(0, recorded.observe(smoke, T0, now).value());
        assertTrue(recorded.observe(new StatKey("memory_growth", null, "new", null, true), T0, now).unavailable().startsWith("not replayed"));
        assertEquals(Observation.EMPTY, recorded.observe(errorRate, T0, T0.minusSeconds(60)));
        assertEquals(Metric.ERROR_RATE, Metric.fromWireName(errorRate.metric()).orElseThrow());
    }

    private static Rollout stored() {
        return Rollout.draft("r", "", Plan.checklist(false), List.of(), true, EnvMapping.DEFAULT, null, T0);
    }

    private static Replay.RecordedEvent event(long second, String type, boolean byEvaluator, String status, Integer before,
                                              Integer after) {
        return new Replay.RecordedEvent(T0.plusSeconds(second), type, byEvaluator, status, before, after, List.of("s1"));
    }

    @Test
    void shouldDeriveTheStateAtATimeFromTheAuditEvents() {
        List<Replay.RecordedEvent> events = List.of(
                event(0, "rollout.created", false, "DRAFT", null, 0),
                event(100, "rollout.started", false, "ACTIVE", 0, 0),
                event(200, "rollout.paused", false, "PAUSED", 0, 0),
                event(300, "rollout.resumed", false, "ACTIVE", 0, 0),
                event(400, "rollout.advanced", true, "ACTIVE", 0, 1));
        Rollout at350 = Replay.stateAt(stored(), Plan.checklist(false), events, T0.plusSeconds(350));
        assertEquals(RolloutStatus.ACTIVE, at350.status());
        assertEquals(0, at350.stepIndex());
        assertEquals(T0.plusSeconds(100), at350.stepEnteredAt(), "pause and resume keep the step clock");
        assertEquals(List.of("s1"), at350.canarySessions());
        Rollout at400 = Replay.stateAt(stored(), Plan.checklist(false), events, T0.plusSeconds(400));
        assertEquals(1, at400.stepIndex());
        assertEquals(T0.plusSeconds(400), at400.stepEnteredAt());
    }

    /** 1% errors from minute 0: a 0.5% rollback trigger fires at the first pass; the recorded journal said NONE. */
    @Test
    void shouldSimulateARollbackAndReportTheFirstDifferenceFromTheJournal() {
        List<RecordedTelemetry.RollupRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new RecordedTelemetry.RollupRow("new", T0.plusSeconds(60L * i), 10, 10_000, 100, 40.0 * 10_000, 80, 1 << 20, 45));
        }
        RecordedTelemetry recorded = new RecordedTelemetry(rows, List.of(), List.of(), List.of());
        Plan checklist = Plan.checklist(false);
        var first = checklist.triggers().get(0);
        var stricter = new dev.rolloutcontroller.domain.Trigger(new dev.rolloutcontroller.domain.MetricCondition(
                first.condition().metric(), null, "new", first.condition().op(), 0.005, null, 1, 0, 1000, Duration.ofMinutes(10)),
                1, first.action(), "Error rate > 0.5%");
        List<dev.rolloutcontroller.domain.Trigger> triggers = new ArrayList<>(checklist.triggers());
        triggers.set(0, stricter);
        Plan plan = new Plan(checklist.steps(), triggers);
        List<Replay.RecordedEvent> events = List.of(event(-60, "rollout.started", false, "ACTIVE", 0, 0));
        List<Replay.JournalEntry> journal = List.of(
                new Replay.JournalEntry(T0.plusSeconds(5), "ACTIVE", "canary", "NONE", 1),
                new Replay.JournalEntry(T0.plusSeconds(15), "ACTIVE", "canary", "NONE", 1));

        Replay.Result result = Replay.run(new Replay.Input(stored(), plan, T0, T0.plusSeconds(30), Duration.ofSeconds(10),
                Duration.ofHours(24), recorded, List.of(), events, Map.of(), journal, 10, List.of()));

        assertEquals(4, result.passes());
        assertEquals(new Replay.Position("ACTIVE", "canary", null), result.start());
        assertEquals(new Replay.Position("ROLLED_BACK", "canary", null), result.end());
        assertEquals(Map.of("ROLLBACK", 1, "NONE", 3), result.replayedActions());
        assertEquals(Map.of("NONE", 2), result.actualActions());
        assertEquals(T0, result.firstDifference().at());
        assertEquals("ROLLBACK", result.firstDifference().replayed().action());
        assertEquals("NONE", result.firstDifference().actual().action());
        assertEquals(2, result.runs().size());
        Replay.Run after = result.runs().get(1);
        assertEquals(3, after.passes());
        assertEquals("ROLLED_BACK", after.replayed().status());
        assertTrue(after.differs());
        assertEquals("not evaluated: the rollout is ROLLED_BACK", after.reason());
    }

    @Test
    void shouldReplayTheJournalsOwnDecisionsWithoutADifference() {
        RecordedTelemetry nothing = new RecordedTelemetry(List.of(), List.of(), List.of(), List.of());
        List<Replay.RecordedEvent> events = List.of(event(-60, "rollout.started", false, "ACTIVE", 0, 0));
        List<Replay.JournalEntry> journal = List.of(new Replay.JournalEntry(T0.plusSeconds(1), "ACTIVE", "canary", "NONE", 1));
        Replay.Result result = Replay.run(new Replay.Input(stored(), Plan.checklist(false), T0, T0.plusSeconds(20),
                Duration.ofSeconds(10), Duration.ofHours(24), nothing, List.of(), events, Map.of(), journal, 10, List.of()));
        assertNull(result.firstDifference());
        assertEquals(1, result.runs().size());
        assertEquals(3, result.runs().get(0).passes());
        assertEquals("NONE", result.runs().get(0).actual().action());
    }

    /** Replayed advances wait for the calendar as the evaluator's do: a service-wide freeze holds them ready. */
    @Test
    void shouldHoldReplayedAdvancesInAFreezeAsTheEvaluatorDoes() {
        Plan plan = new Plan(List.of(
                new Step("a", 10, Duration.ZERO, false, List.of(), List.of()),
                new Step("b", 100, Duration.ZERO, false, List.of(), List.of())), List.of());
        List<Replay.RecordedEvent> events = List.of(event(-60, "rollout.started", false, "ACTIVE", 0, 0));
        RecordedTelemetry nothing = new RecordedTelemetry(List.of(), List.of(), List.of(), List.of());
        Freeze freeze = new Freeze(T0.minusSeconds(3600), T0.plusSeconds(3600), "year-end freeze");

        Replay.Result free = Replay.run(new Replay.Input(stored(), plan, T0, T0.plusSeconds(20), Duration.ofSeconds(10),
                Duration.ofHours(24), nothing, List.of(), events, Map.of(), List.of(), 10, List.of()));
        Replay.Result frozen = Replay.run(new Replay.Input(stored(), plan, T0, T0.plusSeconds(20), Duration.ofSeconds(10),
                Duration.ofHours(24), nothing, List.of(), events, Map.of(), List.of(), 10, List.of(freeze)));

        assertEquals(2, free.replayedActions().get("ADVANCE"), "into b, then past the last step");
        assertEquals(new Replay.Position("COMPLETED", "b", null), free.end());
        assertEquals(Map.of("MARK_READY", 3), frozen.replayedActions());
        assertEquals(new Replay.Position("ACTIVE", "a", null), frozen.end());
        assertTrue(frozen.runs().get(0).reason().contains("year-end freeze"), frozen.runs().get(0).reason());
    }
}
