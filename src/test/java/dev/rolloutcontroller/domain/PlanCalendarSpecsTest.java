package dev.rolloutcontroller.domain;

import static dev.rolloutcontroller.domain.Fixtures.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolloutcontroller.domain.PlanSpec.DeploymentWindowSpec;
import dev.rolloutcontroller.domain.PlanSpec.FreezeSpec;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The deployment windows and freezes of a plan: every rule names its field; a valid plan survives the round trip. */
class PlanCalendarSpecsTest {

    private static final List<StepSpec> STEPS = List.of(new StepSpec("full", 100, "PT1H", false, List.of(), List.of()));
    private static final DeploymentWindowSpec OFFICE_HOURS =
            new DeploymentWindowSpec(List.of("MON", "TUE", "WED", "THU"), "09:00", "16:00", "Europe/Berlin");
    private static final FreezeSpec YEAR_END = new FreezeSpec("2026-12-21T00:00:00Z", "2027-01-04T00:00:00+01:00", "year-end freeze");

    private static PlanSpec plan(DeploymentWindowSpec window, FreezeSpec freeze) {
        return new PlanSpec(STEPS, List.of(), window == null ? null : List.of(window), freeze == null ? null : List.of(freeze));
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON"), "09:00", "16:00", "Europe/Berlln"), null),
                        "plan.deploymentWindows[0].zone", "unknown zone 'Europe/Berlln'"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON"), "09:00", "16:00", null), null),
                        "plan.deploymentWindows[0].zone", "required"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON", "Tuesday"), "09:00", "16:00", "UTC"), null),
                        "plan.deploymentWindows[0].days[1]", "unknown day 'Tuesday'"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON", "MON"), "09:00", "16:00", "UTC"), null),
                        "plan.deploymentWindows[0].days[1]", "listed twice"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of(), "09:00", "16:00", "UTC"), null),
                        "plan.deploymentWindows[0].days", "required"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON"), "9:00", "16:00", "UTC"), null),
                        "plan.deploymentWindows[0].from", "HH:mm"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON"), "09:00", "24:00", "UTC"), null),
                        "plan.deploymentWindows[0].to", "HH:mm"),
                Arguments.of(plan(new DeploymentWindowSpec(List.of("MON"), "09:00", "09:00", "UTC"), null),
                        "plan.deploymentWindows[0].to", "must differ from from"),
                Arguments.of(plan(null, new FreezeSpec("2026-12-21", "2027-01-04T00:00:00Z", "year-end")),
                        "plan.freezes[0].from", "ISO-8601 instant"),
                Arguments.of(plan(null, new FreezeSpec("2026-12-21T00:00:00Z", "2026-12-21T00:00:00Z", "year-end")),
                        "plan.freezes[0].to", "must be after from"),
                Arguments.of(plan(null, new FreezeSpec("2026-12-21T00:00:00Z", "2027-01-04T00:00:00Z", " ")),
                        "plan.freezes[0].reason", "required"),
                Arguments.of(plan(null, new FreezeSpec("2026-12-21T00:00:00Z", "2027-01-04T00:00:00Z", "year\u001bend")),
                        "plan.freezes[0].reason", "control characters"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("violations")
    void shouldNameTheFieldOfEachViolation(PlanSpec spec, String field, String fragment) {
        List<FieldError> errors = errors(PlanSpecs.toPlan(spec, "plan"));
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(field, errors.get(0).field());
        assertTrue(errors.get(0).message().contains(fragment), errors.get(0).message());
    }

    @Test
    void shouldKeepWindowsAndFreezesThroughTheRoundTrip() {
        Validated<Plan> result = PlanSpecs.toPlan(plan(OFFICE_HOURS, YEAR_END), "plan");
        Plan plan = ((Validated.Valid<Plan>) result).value();
        assertEquals(Instant.parse("2027-01-03T23:00:00Z"), plan.freezes().get(0).to());
        PlanSpec normal = PlanSpecs.fromPlan(plan);
        assertEquals(List.of(OFFICE_HOURS), normal.deploymentWindows());
        assertEquals(List.of(new FreezeSpec("2026-12-21T00:00:00Z", "2027-01-03T23:00:00Z", "year-end freeze")), normal.freezes());
        assertEquals(plan, ((Validated.Valid<Plan>) PlanSpecs.toPlan(normal, "plan")).value());
    }

    @Test
    void shouldLeaveBothOutOfAPlanWithoutThem() {
        PlanSpec normal = PlanSpecs.fromPlan(Plan.checklist(false));
        assertEquals(null, normal.deploymentWindows());
        assertEquals(null, normal.freezes());
    }
}
