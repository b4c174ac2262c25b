package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console in a real browser: what an operator does, step by step, and what a reader may not do. */
@QuarkusTest
class ConsoleBrowserTest {

    private static final Duration LIVE = Duration.ofSeconds(2);
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @TestHTTPResource("/")
    URL base;

    @Test
    void shouldTakeRolloutFromCreationToCanaryAndRollItBack() {
        String key = Api.uniqueKey("console");
        try (Browser browser = Browser.open(base)) {
            browser.signIn(Api.ADMIN);
            assertTrue(browser.driver.getCurrentUrl().endsWith("/ui/"), browser.driver.getCurrentUrl());

            browser.type("field-key", key);
            browser.type("field-description", "Monitor.py SOLID refactor v2.0");
            browser.type("field-canarySessions", "session1\nsession2\nsession3");
            browser.click("Create rollout");
            browser.expectText("rollout-status", "DRAFT");
            assertEquals("session1\nsession2\nsession3", browser.text("canary-list"));
            expectVerdict(browser, "Enhanced monitoring enabled", "pending");
            expectVerdict(browser, "Canary user list identified", "passed");

            browser.click("Sign off as devops");
            expectVerdict(browser, "Enhanced monitoring enabled", "passed");
            browser.click("Start");
            browser.expectText("rollout-status", "ACTIVE");
            browser.expectText("rollout-percentage", "10%");
            expectVerdict(browser, "Validation (4 hours)", "pending");
            expectVerdict(browser, "Error rates < 0.1%", "pending");
            expectVerdict(browser, "User feedback collected", "pending");
            expectVerdict(browser, "Error rate > 5%", "pending");
            browser.screenshot("rollout-canary");
            browser.fullPageScreenshot("rollout-canary-full", 1280);
            browser.fullPageScreenshot("rollout-canary-phone", 390);
            browser.width(1280, 1000);

            browser.click("Pause");
            browser.expectText("rollout-status", "PAUSED");
            browser.click("Resume");
            browser.expectText("rollout-status", "ACTIVE");

            browser.type("field-reason", HOSTILE);
            browser.click("Roll back");
            assertTrue(browser.text("error-summary").contains("confirm the rollback"));
            browser.expectText("rollout-status", "ACTIVE");
            browser.type("field-reason", HOSTILE);
            browser.tick("field-confirm-rollback");
            browser.click("Roll back");
            browser.expectText("rollout-status", "ROLLED_BACK");
            assertTrue(browser.text("timeline").contains(HOSTILE), "the reason is shown as text");
            assertTrue(browser.driver.findElements(By.cssSelector("#timeline img")).isEmpty(), "the reason is not markup");
            assertTrue(browser.enabled("Restart"));
            assertFalse(browser.enabled("Advance"));

            asAdmin().get("/api/v1/rollouts/" + key + "/flags?session=session1")
                    .then().statusCode(200).body("enabled", equalTo(false));

            browser.go("/ui/rollouts/" + key + "/report");
            assertTrue(browser.text("go-no-go").contains("Decision: No-Go: Rolled back at canary."), browser.text("go-no-go"));
            assertTrue(browser.text("go-no-go").contains("Final Approval: none yet"));
            assertTrue(browser.text("report-signoffs").contains("devops canary bootstrap-admin"), browser.text("report-signoffs"));
            assertTrue(browser.text("report-signoffs").contains("withdrawn"), "a rollback withdraws the approvals");
            assertTrue(browser.text("report-decisions").contains(HOSTILE));
            assertTrue(browser.driver.findElements(By.cssSelector("#report-decisions img")).isEmpty());
            browser.fullPageScreenshot("report", 1280);
            browser.width(1280, 1000);

            String markdown = asAdmin().accept("text/markdown").get("/api/v1/rollouts/" + key + "/report")
                    .then().statusCode(200).contentType(containsString("text/markdown")).extract().asString();
            assertTrue(markdown.contains("| devops | canary | bootstrap\\-admin |"), markdown);
            assertTrue(markdown.contains("\\<img src=x onerror=alert\\(1\\)\\>"), "user text is escaped in Markdown");
            assertTrue(markdown.contains("- [x] **No-Go**: Critical items failed"));
            assertTrue(markdown.contains("**Final Approval**: none yet"));
            assertTrue(markdown.contains("- [ ] Error rates \\< 0.1%: pending (not judged yet)"), markdown);

            browser.go("/ui/");
            browser.fullPageScreenshot("rollout-list", 1280);
        }
    }

    @Test
    void shouldShowChangeMadeThroughApiWithinTwoSecondsWithoutReload() {
        String key = Api.createRollout("console-live", "s1");
        Api.act(key, "start");
        try (Browser browser = Browser.open(base)) {
            browser.signIn(Api.ADMIN);
            browser.go("/ui/rollouts/" + key);
            browser.expectText("rollout-status", "ACTIVE");
            JavascriptExecutor js = (JavascriptExecutor) browser.driver;
            js.executeScript("window.sameDocument = true");
            browser.waitFor(Duration.ofSeconds(5), d -> js.executeScript(
                    "return document.querySelector('[sse-connect]')['htmx-internal-data'].sseEventSource.readyState === 1"));

            asAdmin().body(Map.of("reason", "paused from the API")).post("/api/v1/rollouts/" + key + "/pause").then().statusCode(200);
            long asked = System.nanoTime();
            browser.waitFor(LIVE, d -> "PAUSED".equals(browser.text("rollout-status")));
            assertTrue(Duration.ofNanos(System.nanoTime() - asked).compareTo(LIVE) <= 0);
            assertEquals(Boolean.TRUE, js.executeScript("return window.sameDocument === true"), "the page was not reloaded");
            assertTrue(browser.text("timeline").contains("paused from the API"));
        }
    }

    @Test
    void shouldShowReaderNoEnabledActionAndRefuseForgedAction() {
        String key = Api.createRollout("console-reader", "s1");
        Api.act(key, "start");
        String reader = Api.tokenWith("reader");
        try (Browser browser = Browser.open(base)) {
            browser.signIn(reader);
            browser.go("/ui/rollouts/" + key);
            List<WebElement> actions = browser.driver.findElements(By.cssSelector(".button-row button"));
            assertEquals(7, actions.size());
            actions.forEach(button -> assertFalse(button.isEnabled(), button.getText() + " is enabled for a reader"));
            assertTrue(browser.driver.findElements(By.xpath("//button[starts-with(normalize-space(), 'Sign off')]")).isEmpty());
            assertTrue(browser.driver.findElements(By.id("field-sessions")).isEmpty(), "a reader cannot edit the canary list");

            String session = browser.driver.manage().getCookieNamed("rc_console").getValue();
            String csrf = browser.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getAttribute("content");
            given().cookie("rc_console", session).formParam("_csrf", csrf).formParam("reason", "forged").formParam("confirm", "yes")
                    .redirects().follow(false)
                    .post("/ui/rollouts/" + key + "/actions/rollback").then().statusCode(403).body(containsString("'operator'"));
        }
        asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void shouldRefuseActionWithoutCsrfTokenAndEndSessionOfRevokedToken() {
        String key = Api.createRollout("console-csrf", "s1");
        Api.act(key, "start");
        Map<String, Object> issued = asAdmin().body(Map.of("name", Api.uniqueKey("op"), "roles", List.of("operator")))
                .post("/api/v1/tokens").then().statusCode(201).extract().as(Map.class);
        try (Browser browser = Browser.open(base)) {
            browser.signIn((String) issued.get("token"));
            browser.go("/ui/rollouts/" + key);
            String session = browser.driver.manage().getCookieNamed("rc_console").getValue();
            given().cookie("rc_console", session).formParam("reason", "no token").redirects().follow(false)
                    .post("/ui/rollouts/" + key + "/actions/pause").then().statusCode(403).body(containsString("CSRF token"));
            asAdmin().get("/api/v1/rollouts/" + key).then().body("status", equalTo("ACTIVE"));

            asAdmin().delete("/api/v1/tokens/" + issued.get("id")).then().statusCode(204);
            browser.go("/ui/rollouts/" + key);
            assertTrue(browser.driver.getCurrentUrl().endsWith("/ui/login"), browser.driver.getCurrentUrl());
        }
    }

    @Test
    void shouldCreateTokenShowingSecretOnceRevokeItAndSendWebhookTest() {
        String name = Api.uniqueKey("console-token");
        String hook = asAdmin().body(Map.of("url", "http://127.0.0.1:9/" + name, "format", "json"))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        try (Browser browser = Browser.open(base)) {
            browser.signIn(Api.ADMIN);
            browser.go("/ui/admin/tokens");
            browser.type("field-name", name);
            browser.tick("role-reader");
            browser.click("Create token");
            String secret = browser.text("new-secret");
            assertTrue(secret.startsWith("rc_"), secret);
            given().header("Authorization", "Bearer " + secret).get("/api/v1/rollouts").then().statusCode(200);
            browser.go("/ui/admin/tokens");
            assertTrue(browser.driver.findElements(By.id("new-secret")).isEmpty(), "the secret is shown only once");
            browser.click("Revoke " + name);
            browser.waitFor(Duration.ofSeconds(5), d -> browser.text("tokens").contains(name + " reader"));
            given().header("Authorization", "Bearer " + secret).get("/api/v1/rollouts").then().statusCode(401);

            browser.go("/ui/admin/webhooks");
            assertTrue(browser.text("webhooks").contains("http://127.0.0.1:9/" + name));
            browser.go("/ui/admin/webhooks/" + hook);
            browser.click("Send test event");
            browser.waitFor(Duration.ofSeconds(5), d -> browser.text("deliveries").contains("webhook.test"));
        }
    }

    private static void expectVerdict(Browser browser, String item, String verdict) {
        try {
            browser.waitFor(Duration.ofSeconds(5), d -> verdict.equals(verdictOf(browser, item)));
        } catch (org.openqa.selenium.TimeoutException e) {
            assertEquals(verdict, verdictOf(browser, item), item);
        }
    }

    private static String verdictOf(Browser browser, String item) {
        return browser.retrying(() -> browser.driver.findElement(By.xpath(
                "//tr[contains(@class,'checklist-item')][.//span[@class='item-description' and normalize-space()='" + item + "']]"))
                .findElement(By.cssSelector("td.verdict")).getText().replaceAll("^[^a-z]+", "").trim());
    }
}
