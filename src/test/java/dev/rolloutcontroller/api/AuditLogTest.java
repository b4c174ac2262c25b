package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AuditLogTest {

    @Inject
    AgroalDataSource dataSource;

    @ParameterizedTest
    @ValueSource(strings = {
            "update rollout_events set reason = 'rewritten' where rollout_key = '%s'",
            "delete from rollout_events where rollout_key = '%s'",
            "truncate rollout_events"})
    void shouldRefuseToRewriteTheAuditLog(String statement) throws SQLException {
        String key = Api.createRollout("append-only");
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> sql.execute(statement.formatted(key)));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
        }
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
             var rows = sql.executeQuery("select count(*) from rollout_events where rollout_key = '" + key + "'")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
        }
    }
}
