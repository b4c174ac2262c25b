package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's HTTP contract without a browser: redirects, cookies, headers, CSRF. */
@QuarkusTest
class ConsolePagesTest {

    @Test
    void shouldRedirectRootToConsoleAndConsoleToSignIn() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/ui/"));
        given().redirects().follow(false).get("/ui/").then().statusCode(303).header("Location", endsWith("/ui/login"));
    }

    @Test
    void shouldServeSignInPageWithStrictPolicy() {
        Response page = given().get("/ui/login");
        page.then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .body(containsString("<label for=\"field-token\">API token</label>"));
    }

    @Inject
    ConsoleViews views;

    @Test
    void shouldCutALongLastDecisionInTheListButShowAShortOneWhole() {
        String key = Api.createRollout("long-reason", "c1");
        Api.act(key, "start", Api.FORCED);
        assertEquals("force started by bootstrap-admin: test", views.lastDecision(key));

        Api.act(key, "pause", Map.of("reason", "r".repeat(2000)));

        String shown = views.lastDecision(key);
        assertEquals(ConsoleViews.LAST_DECISION_LENGTH, shown.length());
        assertTrue(shown.startsWith("paused by bootstrap-admin: rrr") && shown.endsWith("r…"), shown);
    }
}
