package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.support.Api;
import dev.rolloutcontroller.support.Reports;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rolloutcontroller.support.Api.as;
import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which reporting sessions lag the flags: the view the rollback script waits on. */
@QuarkusTest
class SessionConvergenceResourceTest {

    @Test
    void shouldListTheSessionsWhoseLastReportLagsTheRolledBackFlags() {
        String key = Api.createRollout("conv", "a", "b", "c", "d", "e");
        Api.act(key, "start");
        long before = version(key);
        Api.act(key, "rollback");
        long now = version(key);

        Map<String, Object> earlierNew = report("e", "new", now);
        earlierNew.put("periodEnd", Instant.parse((String) earlierNew.get("periodEnd")).minusSeconds(30).toString());
        earlierNew.put("periodStart", Instant.parse((String) earlierNew.get("periodStart")).minusSeconds(30).toString());
        post(key, List.of(
                report("a", "legacy", now),        // back, rollback applied
                report("b", "new", before),        // still on the new path
                report("c", "legacy", null),       // no version sent: judged by its path
                report("d", "legacy", before),     // legacy, but has not applied the rollback yet
                earlierNew, report("e", "legacy", now)));  // its last report counts

        JsonPath all = asAdmin().get("/api/v1/rollouts/" + key + "/sessions").then().statusCode(200).extract().jsonPath();
        assertEquals(5, all.getInt("sessionsReporting"));
        assertEquals(3, all.getInt("sessionsCurrent"));
        assertEquals(2, all.getInt("sessionsStale"));
        assertEquals("ROLLED_BACK", all.getString("status"));
        assertEquals(now, all.getLong("version"));
        assertEquals(List.of("a", "b", "c", "d", "e"), all.getList("sessions.sessionId"));
        assertEquals(List.of("legacy", "new", "legacy", "legacy", "legacy"), all.getList("sessions.path"));

        JsonPath stale = asAdmin().get("/api/v1/rollouts/" + key + "/sessions?stale=true").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("b", "d"), stale.getList("sessions.sessionId"));
        assertEquals(List.of("legacy", "legacy"), stale.getList("sessions.expectedPath"));

        asAdmin().get("/api/v1/rollouts/" + key + "/sessions?stale=true&limit=1").then().statusCode(200)
                .body("sessions.sessionId", equalTo(List.of("b"))).body("sessionsStale", equalTo(2));
        asAdmin().accept("text/plain").get("/api/v1/rollouts/" + key + "/sessions?stale=true").then().statusCode(200)
                .body(equalTo("rollout=" + key + " version=" + now + " status=ROLLED_BACK reporting=5 current=3 stale=2\n"
                        + "b path=new flagVersion=" + before + " expected=legacy lastReport=" + stale.getString("sessions[0].lastReportAt") + " stale=true\n"
                        + "d path=legacy flagVersion=" + before + " expected=legacy lastReport=" + stale.getString("sessions[1].lastReportAt") + " stale=true\n"));
    }

    @Test
    void shouldRefuseAnUnboundedPageAndAnUnknownRollout() {
        String key = Api.createRollout("conv-limits");
        asAdmin().get("/api/v1/rollouts/" + key + "/sessions?limit=1001").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        asAdmin().get("/api/v1/rollouts/" + key + "/sessions?limit=0").then().statusCode(400);
        asAdmin().get("/api/v1/rollouts/no-such-rollout-here/sessions").then().statusCode(404);
        Api.as("not-a-token").get("/api/v1/rollouts/" + key + "/sessions").then().statusCode(401);
    }

    @Test
    void shouldDocumentBothFormsInTheOpenApiDocument() {
        io.restassured.RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/rollouts/{key}/sessions'.get.responses.'200'.content.keySet()",
                        org.hamcrest.Matchers.hasItems("application/json", "text/plain"))
                .body("paths.'/api/v1/rollouts/{key}/sessions'.get.parameters.name", org.hamcrest.Matchers.hasItems("stale", "limit"));
    }

    private static Map<String, Object> report(String session, String path, Long flagVersion) {
        Map<String, Object> report = Reports.report(session, path, 100, 0, 20.0, 100L << 20);
        if (flagVersion != null) {
            report.put("flagVersion", flagVersion);
        }
        return report;
    }

    private static void post(String key, List<Map<String, Object>> reports) {
        as(Api.reporter()).body(Map.of("reports", reports)).post("/api/v1/rollouts/" + key + "/reports").then().statusCode(202);
    }

    private static long version(String key) {
        return asAdmin().get("/api/v1/rollouts/" + key).then().statusCode(200).extract().jsonPath().getLong("version");
    }
}
