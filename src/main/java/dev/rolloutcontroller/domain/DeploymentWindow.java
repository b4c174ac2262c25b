package dev.rolloutcontroller.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A weekly deployment window: on each of {@code days}, from {@code from} to {@code to} local time in {@code zone}.
 * With {@code from} after {@code to} the window spans midnight and closes on the next day; {@code days} name the
 * day it opens.
 *
 * <p>Daylight saving, read from the wall clock: a window opens when the clocks in the zone show {@code from} and
 * closes when they show {@code to}. Local times that do not exist on a spring-forward day are moved forward by
 * the gap (as {@link ZonedDateTime#of} does), so a window 02:00–03:00 in Europe/Berlin is empty on that day and
 * does not open; on an autumn day whose hour repeats, a window opens at the first occurrence of {@code from}
 * and closes at the last of {@code to}, so 02:00–03:00 lasts two real hours.
 */
public record DeploymentWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

    public DeploymentWindow {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        if (days.isEmpty() || from.equals(to)) {
            throw new IllegalArgumentException("a window needs at least one day and from != to");
        }
    }

    public boolean spansMidnight() {
        return from.isAfter(to);
    }

    /** Whether {@code now} is inside the window (opening instant included, closing instant excluded). */
    public boolean isOpen(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        // A window that opened yesterday may still be open when it spans midnight.
        for (LocalDate day : new LocalDate[] {today.minusDays(1), today}) {
            Optional<Instant> opens = opensOn(day);
            if (opens.isPresent() && !now.isBefore(opens.get()) && now.isBefore(closesAfterOpeningOn(day))) {
                return true;
            }
        }
        return false;
    }

    /** The first instant after {@code now} at which the window opens (within the coming eight days). */
    public Optional<Instant> nextOpening(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++) {
            Optional<Instant> opens = opensOn(today.plusDays(i)).filter(instant -> instant.isAfter(now));
            if (opens.isPresent()) {
                return opens;
            }
        }
        return Optional.empty();
    }

    /** When the window opens on {@code day}; empty when it does not (not a listed day, or empty that day). */
    Optional<Instant> opensOn(LocalDate day) {
        if (!days.contains(day.getDayOfWeek())) {
            return Optional.empty();
        }
        Instant opens = ZonedDateTime.of(day, from, zone).toInstant();
        return opens.isBefore(closesAfterOpeningOn(day)) ? Optional.of(opens) : Optional.empty();
    }

    private Instant closesAfterOpeningOn(LocalDate day) {
        // The later offset of an overlap: the window closes when the wall clock shows `to` for the last time.
        return ZonedDateTime.of(spansMidnight() ? day.plusDays(1) : day, to, zone).withLaterOffsetAtOverlap().toInstant();
    }
}
