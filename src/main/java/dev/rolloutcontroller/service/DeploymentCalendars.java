package dev.rolloutcontroller.service;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.domain.DeploymentCalendar;
import dev.rolloutcontroller.domain.Freeze;
import dev.rolloutcontroller.domain.PlanSpec.FreezeSpec;
import dev.rolloutcontroller.domain.PlanSpecs;
import dev.rolloutcontroller.domain.Rollout;
import dev.rolloutcontroller.domain.Validated;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The calendar of a rollout: its plan's deployment windows and freezes plus the service-wide freezes of
 * {@code rollout.freezes}, which are checked once, at startup, by the rules of a plan's freezes.
 */
@ApplicationScoped
public class DeploymentCalendars {

    private final List<Freeze> serviceFreezes;

    DeploymentCalendars(RolloutConfig config) {
        List<FreezeSpec> specs = config.freezes().orElse(List.of()).stream()
                .map(period -> new FreezeSpec(period.from(), period.to(), period.reason())).toList();
        Validated<List<Freeze>> freezes = PlanSpecs.freezes(specs, "rollout.freezes");
        if (freezes instanceof Validated.Invalid<List<Freeze>> invalid) {
            throw new IllegalStateException("invalid service-wide freezes: " + invalid.errors());
        }
        this.serviceFreezes = ((Validated.Valid<List<Freeze>>) freezes).value();
    }

    public List<Freeze> serviceFreezes() {
        return serviceFreezes;
    }

    public DeploymentCalendar of(Rollout rollout) {
        return DeploymentCalendar.of(rollout.plan(), serviceFreezes);
    }
}
