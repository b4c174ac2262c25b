package dev.rolloutcontroller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Deployment windows in Europe/Berlin, whose clocks go forward on 2026-03-29 (02:00 CET → 03:00 CEST) and back on
 * 2026-10-25 (03:00 CEST → 02:00 CET, so 02:00–03:00 happens twice). Instants are UTC; Berlin is UTC+1 in winter,
 * UTC+2 in summer.
 */
class DeploymentCalendarTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static DeploymentWindow window(String days, String from, String to) {
        EnumSet<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (String day : days.split(" ")) {
            set.add(DayOfWeek.of(PlanSpecs.DAYS.indexOf(day) + 1));
        }
        return new DeploymentWindow(set, LocalTime.parse(from), LocalTime.parse(to), BERLIN);
    }

    @ParameterizedTest(name = "{0} {1}-{2} at {3}: open={4}, next opening {5}")
    @CsvSource(textBlock = """
            # office hours, winter (2026-12-01 is a Tuesday)
            MON TUE WED THU, 09:00, 16:00, 2026-12-01T08:00:00Z, true,  2026-12-02T08:00:00Z
            MON TUE WED THU, 09:00, 16:00, 2026-12-01T07:59:59Z, false, 2026-12-01T08:00:00Z
            MON TUE WED THU, 09:00, 16:00, 2026-12-01T14:59:59Z, true,  2026-12-02T08:00:00Z
            MON TUE WED THU, 09:00, 16:00, 2026-12-01T15:00:00Z, false, 2026-12-02T08:00:00Z
            MON TUE WED THU, 09:00, 16:00, 2026-12-03T15:00:00Z, false, 2026-12-07T08:00:00Z
            # office hours, summer: the same wall clock is an hour earlier in UTC
            MON TUE WED THU, 09:00, 16:00, 2026-07-01T07:00:00Z, true,  2026-07-02T07:00:00Z
            MON TUE WED THU, 09:00, 16:00, 2026-07-01T06:59:59Z, false, 2026-07-01T07:00:00Z
            # across the spring change: Friday in CET, Monday in CEST
            MON FRI,         09:00, 16:00, 2026-03-27T15:00:00Z, false, 2026-03-30T07:00:00Z
            # across the autumn change: Friday in CEST, Monday in CET
            MON FRI,         09:00, 16:00, 2026-10-23T14:00:00Z, false, 2026-10-26T08:00:00Z
            # 02:00-03:00 does not exist on 2026-03-29: no window that Sunday, the next one a week later (CEST)
            SUN,             02:00, 03:00, 2026-03-28T12:00:00Z, false, 2026-04-05T00:00:00Z
            SUN,             02:00, 03:00, 2026-03-29T00:59:59Z, false, 2026-04-05T00:00:00Z
            SUN,             02:00, 03:00, 2026-03-29T01:00:00Z, false, 2026-04-05T00:00:00Z
            # 02:00-03:00 happens twice on 2026-10-25: open from the first 02:00 (CEST) to the last 03:00 (CET)
            SUN,             02:00, 03:00, 2026-10-24T12:00:00Z, false, 2026-10-25T00:00:00Z
            SUN,             02:00, 03:00, 2026-10-25T00:00:00Z, true,  2026-11-01T01:00:00Z
            SUN,             02:00, 03:00, 2026-10-25T01:30:00Z, true,  2026-11-01T01:00:00Z
            SUN,             02:00, 03:00, 2026-10-25T02:00:00Z, false, 2026-11-01T01:00:00Z
            # spanning midnight: opens Friday 22:00, closes Saturday 02:00 (2026-12-04 is a Friday)
            FRI,             22:00, 02:00, 2026-12-04T20:59:59Z, false, 2026-12-04T21:00:00Z
            FRI,             22:00, 02:00, 2026-12-04T21:00:00Z, true,  2026-12-11T21:00:00Z
            FRI,             22:00, 02:00, 2026-12-05T00:30:00Z, true,  2026-12-11T21:00:00Z
            FRI,             22:00, 02:00, 2026-12-05T01:00:00Z, false, 2026-12-11T21:00:00Z
            # Saturday 22:00 is not an opening: only Friday is named
            FRI,             22:00, 02:00, 2026-12-05T21:30:00Z, false, 2026-12-11T21:00:00Z
            # spanning midnight into the autumn change: Saturday 22:00 CEST to the last Sunday 02:00 (CET), five hours
            SAT,             22:00, 02:00, 2026-10-24T20:00:00Z, true,  2026-10-31T21:00:00Z
            SAT,             22:00, 02:00, 2026-10-25T00:30:00Z, true,  2026-10-31T21:00:00Z
            SAT,             22:00, 02:00, 2026-10-25T00:59:59Z, true,  2026-10-31T21:00:00Z
            SAT,             22:00, 02:00, 2026-10-25T01:00:00Z, false, 2026-10-31T21:00:00Z
            # spanning midnight into the spring change: Saturday 22:00 CET to Sunday 02:00, which is 03:00 CEST
            SAT,             22:00, 02:00, 2026-03-28T21:00:00Z, true,  2026-04-04T20:00:00Z
            SAT,             22:00, 02:00, 2026-03-29T00:59:59Z, true,  2026-04-04T20:00:00Z
            SAT,             22:00, 02:00, 2026-03-29T01:00:00Z, false, 2026-04-04T20:00:00Z
            """, commentCharacter = '#')
    void shouldAnswerOpenAndNextOpeningAcrossDaylightSavingAndMidnight(
            String days, String from, String to, String now, boolean open, String next) {
        DeploymentWindow window = window(days, from, to);
        Instant at = Instant.parse(now);
        assertEquals(open, window.isOpen(at), "open at " + now);
        assertEquals(Optional.of(Instant.parse(next)), window.nextOpening(at), "next opening after " + now);
    }

    @Test
    void shouldBeOpenAnyTimeWithoutWindows() {
        DeploymentCalendar calendar = new DeploymentCalendar(List.of(), List.of());
        assertTrue(calendar.hold(Instant.parse("2026-12-06T03:00:00Z")).isEmpty());
    }

    @Test
    void shouldNameTheEarliestNextOpeningInItsZone() {
        DeploymentCalendar calendar = new DeploymentCalendar(
                List.of(window("MON", "09:00", "16:00"), window("WED", "09:00", "16:00")), List.of());
        DeploymentCalendar.Hold hold = calendar.hold(Instant.parse("2026-12-01T12:00:00Z")).orElseThrow();
        assertEquals(Instant.parse("2026-12-02T08:00:00Z"), hold.until());
        assertEquals("outside the deployment windows; the next window opens at 2026-12-02T08:00:00Z "
                + "(2026-12-02T09:00+01:00 Europe/Berlin)", hold.message());
    }

    @ParameterizedTest(name = "at {0}: frozen={1}")
    @CsvSource({
            "2026-12-20T23:59:59Z, false",
            "2026-12-21T00:00:00Z, true",
            "2027-01-03T23:59:59Z, true",
            "2027-01-04T00:00:00Z, false"})
    void shouldHoldInsideAFreezeFromIncludedToExcluded(String now, boolean frozen) {
        Freeze freeze = new Freeze(Instant.parse("2026-12-21T00:00:00Z"), Instant.parse("2027-01-04T00:00:00Z"), "year-end freeze");
        DeploymentCalendar calendar = new DeploymentCalendar(List.of(), List.of(freeze));
        assertEquals(frozen, calendar.hold(Instant.parse(now)).isPresent());
    }

    @Test
    void shouldPreferTheFreezeThatEndsLastOverAClosedWindow() {
        Freeze shortFreeze = new Freeze(Instant.parse("2026-12-21T00:00:00Z"), Instant.parse("2026-12-23T00:00:00Z"), "change board");
        Freeze yearEnd = new Freeze(Instant.parse("2026-12-22T00:00:00Z"), Instant.parse("2027-01-04T00:00:00Z"), "year-end freeze");
        Plan plan = new Plan(Plan.checklist(false).steps(), List.of(), List.of(window("MON", "09:00", "16:00")), List.of(shortFreeze));
        DeploymentCalendar calendar = DeploymentCalendar.of(plan, List.of(yearEnd));
        DeploymentCalendar.Hold hold = calendar.hold(Instant.parse("2026-12-22T03:00:00Z")).orElseThrow();
        DeploymentCalendar.Frozen frozen = assertInstanceOf(DeploymentCalendar.Frozen.class, hold);
        assertEquals(yearEnd, frozen.freeze());
        assertEquals("frozen until 2027-01-04T00:00:00Z: year-end freeze", hold.message());
        assertInstanceOf(DeploymentCalendar.OutsideWindows.class,
                calendar.hold(Instant.parse("2027-01-05T12:00:00Z")).orElseThrow());
    }
}
