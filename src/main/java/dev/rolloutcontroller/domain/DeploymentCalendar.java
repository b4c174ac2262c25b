package dev.rolloutcontroller.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When a rollout may start or advance: inside one of its deployment windows (any time when the plan names none)
 * and outside every freeze (the plan's and the service's). Rollback, step-back and pause never ask.
 */
public record DeploymentCalendar(List<DeploymentWindow> windows, List<Freeze> freezes) {

    /** Why a start or an advance must wait, and until when (the freeze's end, or the next window's opening). */
    public sealed interface Hold {
        String message();

        Instant until();
    }

    /** Outside every window; {@code zone} is the zone of the window that opens next, for the message. */
    public record OutsideWindows(Instant until, ZoneId zone) implements Hold {
        @Override
        public String message() {
            return "outside the deployment windows; the next window opens at " + until + " ("
                    + until.atZone(zone).toOffsetDateTime() + " " + zone.getId() + ")";
        }
    }

    /** Inside a freeze. */
    public record Frozen(Freeze freeze) implements Hold {
        @Override
        public Instant until() {
            return freeze.to();
        }

        @Override
        public String message() {
            return "frozen until " + freeze.to() + ": " + freeze.reason();
        }
    }

    public DeploymentCalendar {
        windows = List.copyOf(windows);
        freezes = List.copyOf(freezes);
    }

    /** The plan's windows and freezes plus the service-wide freezes. */
    public static DeploymentCalendar of(Plan plan, List<Freeze> serviceFreezes) {
        return new DeploymentCalendar(plan.deploymentWindows(),
                Stream.concat(plan.freezes().stream(), serviceFreezes.stream()).toList());
    }

    /** The freeze in force at {@code now} that ends last, if any. */
    public Optional<Freeze> freezeAt(Instant now) {
        return freezes.stream().filter(freeze -> freeze.isActive(now)).max(Comparator.comparing(Freeze::to));
    }

    public boolean windowOpen(Instant now) {
        return windows.isEmpty() || windows.stream().anyMatch(window -> window.isOpen(now));
    }

    /** A freeze first (only an admin may override it), then the windows; empty when a start or advance may go ahead. */
    public Optional<Hold> hold(Instant now) {
        Optional<Freeze> freeze = freezeAt(now);
        if (freeze.isPresent()) {
            return Optional.of(new Frozen(freeze.get()));
        }
        return windowHold(now);
    }

    /** Empty inside a window; otherwise when the next one opens. */
    public Optional<Hold> windowHold(Instant now) {
        if (windowOpen(now)) {
            return Optional.empty();
        }
        return windows.stream()
                .flatMap(window -> window.nextOpening(now).map(at -> new OutsideWindows(at, window.zone())).stream())
                .min(Comparator.comparing(OutsideWindows::until))
                .map(Hold.class::cast);
    }
}
