package dev.rolloutcontroller.api;

import dev.rolloutcontroller.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rolloutcontroller.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ConcurrencyTest {

    @Test
    void shouldApplyExactlyOneOfFiftyConcurrentAdvancesWithTheSameIfMatch() throws Exception {
        String key = Api.createRollout("race", "s1");
        Api.act(key, "start");
        int version = asAdmin().get("/api/v1/rollouts/" + key).then().extract().path("version");
        int eventsBefore = eventCount(key);

        int callers = 50;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Callable<Integer> advance = () -> {
                    go.await();
                    return asAdmin().header("If-Match", "\"" + version + "\"")
                            .body(java.util.Map.of("force", true, "reason", "race"))
                            .post("/api/v1/rollouts/" + key + "/advance").statusCode();
                };
                statuses.add(pool.submit(advance));
            }
            go.countDown();
            int ok = 0;
            int preconditionFailed = 0;
            for (Future<Integer> status : statuses) {
                int code = status.get();
                if (code == 200) {
                    ok++;
                } else if (code == 412) {
                    preconditionFailed++;
                }
            }
            assertEquals(1, ok, "exactly one advance applies");
            assertEquals(callers - 1, preconditionFailed, "every other caller sees a stale version");
        } finally {
            pool.shutdownNow();
        }
        asAdmin().get("/api/v1/rollouts/" + key).then()
                .body("step", equalTo("gradual"))
                .body("version", equalTo(version + 1));
        assertEquals(eventsBefore + 1, eventCount(key), "exactly one event was written");
    }

    private static int eventCount(String key) {
        List<?> events = asAdmin().get("/api/v1/rollouts/" + key + "/events?limit=200").then().extract().path("events");
        return events.size();
    }
}
