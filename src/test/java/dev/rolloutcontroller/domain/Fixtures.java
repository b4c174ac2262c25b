package dev.rolloutcontroller.domain;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Fresh, immutable test values; nothing here is shared state. */
final class Fixtures {

    static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant STEP_ENTERED = Instant.parse("2025-01-02T00:00:00Z");
    static final Instant NOW = Instant.parse("2025-01-03T12:00:00Z");

    private Fixtures() {
    }

    /** Steps named s0, s1, ... at the given percentages, no gates, no shadow. */
    static Plan plan(int... percentages) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < percentages.length; i++) {
            steps.add(new Step("s" + i, percentages[i], Duration.ofHours(1), false, List.of(), List.of()));
        }
        return new Plan(steps, List.of());
    }

    /** Index 0 shadow (0%), 1 dark (0%, not shadow), 2 canary (10%), 3 half (50%), 4 full (100%). */
    static Plan everyKindOfStep() {
        return new Plan(List.of(
                new Step("shadow", 0, Duration.ofHours(24), true, List.of(), List.of()),
                new Step("dark", 0, Duration.ofHours(1), false, List.of(), List.of()),
                new Step("canary", 10, Duration.ofHours(4), false, List.of(), List.of()),
                new Step("half", 50, Duration.ofHours(8), false, List.of(), List.of()),
                new Step("full", 100, Duration.ofHours(24), false, List.of(), List.of())),
                List.of());
    }

    static Rollout rollout(Plan plan, RolloutStatus status, int stepIndex, List<String> canary) {
        return new Rollout("modular-monitor", "v2 monitor", status, stepIndex, plan, canary, true, 7,
                CREATED, CREATED, STEP_ENTERED, EnvMapping.DEFAULT, null);
    }

    /** The errors of a result that must be invalid. */
    static List<FieldError> errors(Validated<?> result) {
        if (result instanceof Validated.Invalid<?> invalid) {
            return invalid.errors();
        }
        throw new AssertionError("expected errors, got " + result);
    }

    static List<String> errorFields(Validated<?> result) {
        return errors(result).stream().map(FieldError::field).toList();
    }

    /** A copy of a record with one component replaced, so a table row can state just its one change. */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R record, String component, Object value) {
        try {
            RecordComponent[] components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            boolean found = false;
            for (int i = 0; i < components.length; i++) {
                found |= components[i].getName().equals(component);
                values[i] = components[i].getName().equals(component) ? value : components[i].getAccessor().invoke(record);
            }
            if (!found) {
                throw new IllegalArgumentException("no component " + component + " in " + record.getClass());
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return (R) record.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
