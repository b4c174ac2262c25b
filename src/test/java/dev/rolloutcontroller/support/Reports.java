package dev.rolloutcontroller.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds daemon reports for tests, timed by the service's (test) clock. */
public final class Reports {

    private Reports() {
    }

    /** One minute of one session on a path, ending now. */
    public static Map<String, Object> report(String session, String path, long cycles, long errors, double p95Ms, long memoryBytes) {
        Instant end = MutableClock.INSTANCE.instant();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("reportId", UUID.randomUUID().toString());
        report.put("sessionId", session);
        report.put("path", path);
        report.put("periodStart", end.minus(Duration.ofMinutes(1)).toString());
        report.put("periodEnd", end.toString());
        report.put("cycles", cycles);
        report.put("errors", errors);
        report.put("cycleTimeP50Ms", p95Ms / 2);
        report.put("cycleTimeP95Ms", p95Ms);
        report.put("cycleTimeMaxMs", p95Ms * 2);
        report.put("memoryBytes", memoryBytes);
        report.put("cpuPercent", 5.0);
        return report;
    }

    /** A batch: {@code sessions} sessions on a path, each with the given cycles and errors. */
    public static Map<String, Object> batch(String prefix, int sessions, String path, long cycles, long errors, double p95Ms) {
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            reports.add(report(prefix + "-" + i, path, cycles, errors, p95Ms, 200L << 20));
        }
        return Map.of("reports", reports);
    }
}
