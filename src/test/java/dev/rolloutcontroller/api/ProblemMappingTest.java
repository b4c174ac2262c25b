package dev.rolloutcontroller.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The catch-all must say nothing about the code: no class names, messages or stack traces. */
class ProblemMappingTest {

    @Test
    void shouldHideInternalsOfUnexpectedFailures() {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{UriInfo.class},
                (proxy, method, args) -> method.getName().equals("getPath") ? "/api/v1/rollouts/x" : null);
        // The failure is provoked on purpose: keep its ERROR line and stack trace out of the build log.
        Logger log = Logger.getLogger(ProblemMapping.class.getName());
        Level level = log.getLevel();
        log.setLevel(Level.OFF);
        Response response;
        try {
            response = new ProblemMapping().mapUnexpected(
                    new IllegalStateException("secret detail", new SQLException("relation rollouts does not exist")), uri);
        } finally {
            log.setLevel(level);
        }
        Problem problem = (Problem) response.getEntity();
        assertEquals(500, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        String shown = problem.toString();
        assertFalse(shown.contains("IllegalStateException"), shown);
        assertFalse(shown.contains("secret detail"), shown);
        assertFalse(shown.contains("relation rollouts"), shown);
        assertEquals("/problems/internal-error", problem.type());
    }
}
