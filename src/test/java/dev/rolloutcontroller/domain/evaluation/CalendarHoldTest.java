package dev.rolloutcontroller.domain.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.DeploymentCalendar;
import dev.rolloutcontroller.domain.Freeze;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Only an advance is held by the calendar; it becomes MARK_READY saying until when. */
class CalendarHoldTest {

    private static final Instant NOW = Instant.parse("2026-12-22T10:00:00Z");
    private static final DeploymentCalendar FROZEN = new DeploymentCalendar(List.of(), List.of(
            new Freeze(Instant.parse("2026-12-21T00:00:00Z"), Instant.parse("2027-01-04T00:00:00Z"), "year-end freeze")));

    private static Decision decision(EngineAction action) {
        return new Decision(action, "engine's reason", List.of(), List.of(), List.of(), Map.of(0, 1), false);
    }

    @Test
    void shouldHoldAnAdvanceReadyWithTheReasonAndKeepTheStreaks() {
        Decision held = CalendarHold.apply(decision(EngineAction.ADVANCE), FROZEN, NOW);
        assertEquals(EngineAction.MARK_READY, held.action());
        assertTrue(held.readyToAdvance());
        assertEquals("held, ready to advance: frozen until 2027-01-04T00:00:00Z: year-end freeze", held.reason());
        assertEquals(Map.of(0, 1), held.streaks());
    }

    @ParameterizedTest
    @EnumSource(value = EngineAction.class, names = "ADVANCE", mode = EnumSource.Mode.EXCLUDE)
    void shouldNeverHoldAnythingButAnAdvance(EngineAction action) {
        Decision decision = decision(action);
        assertSame(decision, CalendarHold.apply(decision, FROZEN, NOW));
    }

    @Test
    void shouldLetAnAdvanceThroughWhenNothingHolds() {
        Decision decision = decision(EngineAction.ADVANCE);
        assertSame(decision, CalendarHold.apply(decision, FROZEN, Instant.parse("2027-01-04T00:00:00Z")));
    }
}
