package dev.rolloutcontroller.telemetry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What daemons send. Unknown members are ignored (unlike on operator endpoints), so a newer daemon
 * can report to an older controller. Times, ids and numbers arrive as loosely typed JSON and are validated field by
 * field ({@link TelemetryValidation}), so every mistake in a batch is named at once.
 */
public final class TelemetryRequests {

    private TelemetryRequests() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReportBatch(List<Report> reports) {
    }

    @Schema(description = "What a daemon observed for one session over a period (at most 1 h)")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Report(
            @Schema(description = "UUID chosen by the daemon; a retried report with the same id is stored once") String reportId,
            String sessionId,
            @Schema(enumeration = {"new", "legacy"}) String path,
            @Schema(examples = "2026-11-27T10:00:00Z") String periodStart,
            @Schema(examples = "2026-11-27T10:01:00Z") String periodEnd,
            Long cycles, Long errors, Double cycleTimeP50Ms, Double cycleTimeP95Ms, Double cycleTimeMaxMs,
            Long memoryBytes, Double cpuPercent,
            @Schema(description = "The rollout version whose flags the daemon had applied") Long flagVersion) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SmokeResult(
            @Schema(enumeration = {"agent-discovery", "idle-detection", "notification-delivery", "pm-recovery", "performance"})
            String check, Boolean passed, Double value, String unit, String sessionId, String at) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ShadowComparison(String sessionId,
                                   @Schema(enumeration = {"discovery", "idle", "notification"}) String category,
                                   Long comparisons, Long mismatches, String periodStart, String periodEnd) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Signal(@Schema(enumeration = {"support-ticket", "note"}) String type, Integer count, String ref, String at) {
    }

    /** Every telemetry write answers with what was new and what had been stored before. */
    public record Accepted(int accepted, int duplicates) {
    }
}
