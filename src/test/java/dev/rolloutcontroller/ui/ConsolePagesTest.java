package dev.rolloutcontroller.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

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
}
