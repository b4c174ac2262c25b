package dev.rolloutcontroller.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Replaces the system clock in every @QuarkusTest, so scenario tests can move time. */
@Singleton
public class TestClockProducer {

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    Clock clock() {
        return MutableClock.INSTANCE;
    }
}
