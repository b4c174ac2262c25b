package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.evaluator.EvaluatorLease.LeadershipLostException;
import dev.rolloutcontroller.evaluator.EvaluatorLease.LeaseState;
import dev.rolloutcontroller.persistence.EvaluationEntity;
import dev.rolloutcontroller.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease rules on the real database, with two replicas' leases in one JVM. The row is shared by
 * the whole run, so each test frees it first and compares epochs relative to what it saw.
 */
@QuarkusTest
class EvaluatorLeaseTest {

    /** Short enough to wait for an expiry in a test. */
    private static final Duration SHORT = Duration.ofMillis(1200);
    private static final Duration RENEWAL = Duration.ofMillis(500);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EvaluatorLease replicaLease;

    @Inject
    RolloutEvaluator evaluator;

    private EvaluatorLease a;
    private EvaluatorLease b;

    @BeforeEach
    void freeTheLease() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("update evaluator_lease set holder = null, expires_at = '-infinity'");
        }
        a = new EvaluatorLease(dataSource, "replica-a", SHORT, RENEWAL, false);
        b = new EvaluatorLease(dataSource, "replica-b", SHORT, RENEWAL, false);
    }

    @AfterEach
    void releaseAll() {
        a.release();
        b.release();
        replicaLease.release();
    }

    @Test
    void shouldTakeAFreeLeaseAndRenewItUnderTheSameEpoch() {
        LeaseState taken = a.takeOrRenew();
        assertTrue(taken.leading(), "a free lease is taken");

        LeaseState other = b.takeOrRenew();
        assertFalse(other.leading(), "a live lease is not taken by another replica");
        assertEquals("replica-a", other.holder());
        assertEquals(taken.epoch(), other.epoch());

        LeaseState renewed = a.takeOrRenew();
        assertTrue(renewed.leading());
        assertEquals(taken.epoch(), renewed.epoch(), "a renewal keeps the epoch");
        assertTrue(renewed.expiresAt().isAfter(taken.expiresAt()), "a renewal moves the expiry");
    }

    @Test
    void shouldLetAnotherReplicaTakeOverAnExpiredLeaseWithTheNextEpoch() throws InterruptedException {
        long first = a.takeOrRenew().epoch();
        Thread.sleep(SHORT.plusMillis(200).toMillis());

        LeaseState takenOver = b.takeOrRenew();
        assertTrue(takenOver.leading(), "an expired lease is taken over");
        assertEquals(first + 1, takenOver.epoch(), "a take-over increments the epoch");

        LeaseState former = a.takeOrRenew();
        assertFalse(former.leading(), "the former holder cannot renew a lease taken over");
        assertEquals("replica-b", former.holder());
        assertTrue(a.leadingEpoch().isEmpty());
    }

    @Test
    void shouldHandTheLeaseOverAtOnceWhenReleased() {
        long first = a.takeOrRenew().epoch();
        a.release();
        LeaseState next = b.takeOrRenew();
        assertTrue(next.leading(), "a released lease is free before its expiry");
        assertEquals(first + 1, next.epoch());
    }

    @Test
    void shouldRefuseAFencedCheckOnceTheLeaseIsLost() throws InterruptedException {
        long epoch = a.takeOrRenew().epoch();
        QuarkusTransaction.requiringNew().run(() -> a.requireHeld(epoch));
        assertThrows(LeadershipLostException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> b.requireHeld(epoch)), "another holder's check fails");

        Thread.sleep(SHORT.plusMillis(200).toMillis());
        assertThrows(LeadershipLostException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> a.requireHeld(epoch)), "an expired lease is refused");
        b.takeOrRenew();
        assertThrows(LeadershipLostException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> a.requireHeld(epoch)), "a lease taken over is refused");
    }

    @Test
    void shouldKeepATakeOverWaitingWhileAFencedDecisionIsInFlight() {
        long epoch = a.takeOrRenew().epoch();
        LeaseState duringDecision = QuarkusTransaction.requiringNew().call(() -> {
            a.requireHeld(epoch);
            busyFor(SHORT.plusMillis(200));
            // Another thread, hence another connection: the take-over waits on the share lock until it times out.
            CompletableFuture<LeaseState> takeOver = CompletableFuture.supplyAsync(b::takeOrRenew);
            busyFor(Duration.ofMillis(1300));
            return takeOver.get();
        });
        assertFalse(duringDecision.leading(), "no take-over while the decision's transaction is open");
        assertTrue(b.takeOrRenew().leading(), "the take-over succeeds once that transaction has ended");
    }

    @Test
    void shouldEndTheTransactionOfAHolderFrozenInsideItSoTheTakeOverProceeds() {
        long epoch = a.takeOrRenew().epoch();
        assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            a.requireHeld(epoch);
            // Frozen inside the transaction: the server ends the idle session after one lease length.
            sleep(SHORT.plusMillis(600));
            assertTrue(CompletableFuture.supplyAsync(b::takeOrRenew).join().leading(), "taken over despite the open transaction");
        }), "the frozen holder's transaction cannot commit");
    }

    @Test
    void shouldApplyNothingWhenTheLeaderLostItsLeaseAndJournalTheEpochOtherwise() throws InterruptedException {
        String key = Api.createRollout("fenced", "c1");
        Api.act(key, "start");
        long epoch = replicaLease.takeOrRenew().epoch();

        EvaluationView decided = evaluator.evaluate(key, epoch).orElseThrow();
        assertEquals(epoch, decided.leaseEpoch(), "the journal records the leader's epoch");
        long journalled = journalSize(key);

        Thread.sleep(replicaLease.duration().plusMillis(200).toMillis());
        assertTrue(b.takeOrRenew().leading());
        assertThrows(LeadershipLostException.class, () -> evaluator.evaluate(key, epoch));
        assertEquals(journalled, journalSize(key), "a fenced-out leader writes nothing");

        assertEquals(null, evaluator.evaluate(key).orElseThrow().leaseEpoch(), "an operator's evaluate-now is not fenced");
    }

    @Test
    void shouldSayInHealthAndMetricsWhetherThisReplicaLeads() {
        long epoch = replicaLease.takeOrRenew().epoch();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem(EvaluatorLeaseStatus.CHECK_NAME))
                .body("checks.find { it.name == 'evaluator-lease' }.data.leader", org.hamcrest.Matchers.is(true))
                .body("checks.find { it.name == 'evaluator-lease' }.data.epoch", org.hamcrest.Matchers.is((int) epoch));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("rollout_evaluator_leader 1.0"))
                .body(containsString("rollout_evaluator_lease_epoch " + (double) epoch))
                .body(containsString("rollout_evaluator_lease_expiry_seconds"));
    }

    @Test
    void shouldCountEvaluationsAndActionsInMetrics() {
        String key = Api.createRollout("metrics", "c1");
        Api.act(key, "start");
        Api.asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("rollout_evaluations_total"))
                .body(containsString("rollout_evaluation_duration_seconds_count"))
                .body(containsString("rollout_percentage{rollout=\"" + key + "\"} 10.0"));
    }

    @Test
    void shouldRefuseToEvaluateADraft() {
        String key = Api.createRollout("draft-evaluate");
        Api.asAdmin().post("/api/v1/rollouts/" + key + "/evaluate").then().statusCode(409)
                .contentType("application/problem+json");
    }

    /** Keeps the current transaction's session busy (not idle) for a while. */
    private void busyFor(Duration duration) throws SQLException {
        long until = System.nanoTime() + duration.toNanos();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            while (System.nanoTime() < until) {
                statement.execute("select pg_sleep(0.1)");
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long journalSize(String key) {
        return QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.count("rolloutKey", key));
    }
}
