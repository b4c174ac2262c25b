package dev.rolloutcontroller.evaluator;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.MutableClock;
import dev.rolloutcontroller.telemetry.RetentionJob;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator's loop: which rollouts a pass takes, what the journal forgets, and who acted. */
@QuarkusTest
class EvaluatorLoopTest {

    @Inject
    EvaluatorTick tick;

    @Inject
    RetentionJob retention;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldSelectOnlyLiveRolloutsForThePass() throws Exception {
        String draft = Api.createRollout("loop-draft", "c1");
        String active = started("loop-active");
        String paused = started("loop-paused");
        Api.act(paused, "pause");
        String rolledBack = started("loop-rolled-back");
        Api.act(rolledBack, "rollback");
        String watched = completedAgo("loop-watched", Duration.ofHours(23));
        String finished = completedAgo("loop-finished", Duration.ofHours(25));

        List<String> live = QuarkusTransaction.requiringNew().call(tick::liveKeys);

        assertTrue(live.containsAll(List.of(active, paused, watched)), live.toString());
        assertFalse(live.contains(draft) || live.contains(rolledBack) || live.contains(finished), live.toString());
    }

    @Test
    void shouldPruneOldJournalEntriesThatChangedNothingAndKeepTheRest() throws Exception {
        String key = started("loop-journal");
        String quietOnly = started("loop-journal-quiet");
        Instant old = MutableClock.INSTANCE.instant().minus(Duration.ofDays(31));
        Instant recent = MutableClock.INSTANCE.instant().minus(Duration.ofDays(29));
        long oldQuiet = journal(key, old, "NONE", null);
        long oldAdvance = journal(key, old, "ADVANCE", null);
        long oldFailure = journal(key, old, "NONE", "database gone");
        long recentQuiet = journal(key, recent, "NONE", null);
        long newestOld = journal(quietOnly, old, "NONE", null);

        retention.pruneQuietJournal();

        List<Long> kept = journalIds(List.of(key, quietOnly));
        assertFalse(kept.contains(oldQuiet), "an old entry that changed nothing goes");
        assertEquals(List.of(oldAdvance, oldFailure, recentQuiet, newestOld), kept,
                "what acted, what failed, what is recent, and each rollout's newest entry stay");
    }

    @Test
    void shouldCountOperatorActionsApartFromTheEvaluators() {
        double before = actions("pause", "operator");
        Api.act(started("loop-metric"), "pause");
        assertEquals(1, actions("pause", "operator") - before);
    }

    /** rollout_actions_total{action, actor} as Prometheus shows it. */
    static double actions(String action, String actor) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("rollout_actions_total{")
                        && line.contains("action=\"" + action + "\"") && line.contains("actor=\"" + actor + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String started(String prefix) {
        String key = Api.createRollout(prefix, "c1");
        Api.act(key, "start");
        return key;
    }

    /** A rollout forced to its last step and completed, its last change {@code ago} before now. */
    private String completedAgo(String prefix, Duration ago) throws Exception {
        String key = started(prefix);
        for (int i = 0; i < 3; i++) {
            Api.act(key, "advance");
        }
        asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("COMPLETED"));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("update rollouts set updated_at = ? where key = ?")) {
            update.setTimestamp(1, Timestamp.from(MutableClock.INSTANCE.instant().minus(ago)));
            update.setString(2, key);
            update.executeUpdate();
        }
        return key;
    }

    private long journal(String key, Instant at, String action, String failure) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                insert into evaluations (rollout_key, evaluated_at, rollout_version, status, step, action, reason,
                                         ready_to_advance, exit_gates, entry_gates, triggers, streaks, failure)
                values (?, ?, 2, 'ACTIVE', 'canary', ?, 'test', false, '[]', '[]', '[]', '{}', ?) returning id""")) {
            insert.setString(1, key);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setString(3, action);
            insert.setString(4, failure);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    private List<Long> journalIds(List<String> keys) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "select id from evaluations where rollout_key = any (?) order by id")) {
            select.setArray(1, connection.createArrayOf("varchar", keys.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }
}
