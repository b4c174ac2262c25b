package dev.rolloutcontroller.api;

import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures mean "the database is unreachable" (503, retry) rather than a bug (500). */
class DatabaseUnavailableTest {

    @Test
    void shouldRecogniseConnectionFailuresAtAnyDepth() {
        assertTrue(ProblemMapping.databaseUnavailable(new PersistenceException("insert failed",
                new PSQLException("Connection to localhost:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))));
        assertTrue(ProblemMapping.databaseUnavailable(new PersistenceException("query failed",
                new PSQLException("An I/O error occurred while sending to the backend", PSQLState.CONNECTION_FAILURE))));
        assertTrue(ProblemMapping.databaseUnavailable(new PersistenceException("no connection",
                new SQLException("Acquisition timeout while waiting for new connection", new TimeoutException()))));
        assertTrue(ProblemMapping.databaseUnavailable(new RuntimeException(new SQLTransientConnectionException("gone"))));
        assertTrue(ProblemMapping.databaseUnavailable(new PersistenceException("JDBC exception executing SQL",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"))));
        assertTrue(ProblemMapping.databaseUnavailable(new IllegalStateException("commit failed",
                new SQLException("the database system is starting up", "57P03"))));
    }

    @Test
    void shouldTreatOtherDatabaseErrorsAsUnexpected() {
        assertFalse(ProblemMapping.databaseUnavailable(new PersistenceException("duplicate key",
                new PSQLException("duplicate key value violates unique constraint", PSQLState.UNIQUE_VIOLATION))));
        assertFalse(ProblemMapping.databaseUnavailable(new PersistenceException("mapping failed")));
        assertFalse(ProblemMapping.databaseUnavailable(new SQLException("syntax error", "42601")));
    }
}
