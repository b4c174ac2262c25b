package dev.rolloutcontroller.telemetry;

import dev.rolloutcontroller.persistence.RolloutEntity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time series per path from the per-minute rollups, bucketed to a resolution: what the console's
 * charts draw and scripts read. One grouped query over at most (range / 1 min) × 2 rollup rows,
 * whatever the fleet size. {@code null} marks a bucket without data. Sessions are distinct sessions
 * per minute (the rollups count each once per path and minute), averaged over the bucket.
 */
@ApplicationScoped
public class MetricSeries {

    public static final List<String> PATHS = List.of("new", "legacy");

    /** One bucket's figure in the OpenAPI document: a number, or null where the bucket has no data. */
    @Schema(name = "SeriesFigure", type = SchemaType.NUMBER, nullable = true)
    public static final class Figure {
        private Figure() {
        }
    }

    /** The series of one path, index-aligned with {@link Series#timestamps()}. */
    public record PathSeries(@Schema(type = SchemaType.ARRAY, implementation = Figure.class) List<Double> sessions,
                             @Schema(type = SchemaType.ARRAY, implementation = Figure.class) List<Double> errorRate,
                             @Schema(type = SchemaType.ARRAY, implementation = Figure.class) List<Double> cycleTimeP95Ms,
                             @Schema(type = SchemaType.ARRAY, implementation = Figure.class) List<Double> memoryBytes,
                             @Schema(type = SchemaType.ARRAY, implementation = Figure.class) List<Double> cpuPercent) {
    }

    /** @param timestamps bucket starts, epoch seconds */
    public record Series(List<Long> timestamps, Map<String, PathSeries> paths) {
    }

    public Series read(String key, Instant from, Instant to, Duration resolution) {
        long step = resolution.getSeconds();
        long start = from.getEpochSecond() / step * step;
        int buckets = (int) ((to.getEpochSecond() - start + step - 1) / step);
        List<Long> timestamps = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            timestamps.add(start + i * step);
        }
        Map<String, Double[][]> columns = new LinkedHashMap<>();
        PATHS.forEach(path -> columns.put(path, new Double[5][buckets]));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = RolloutEntity.getEntityManager().createNativeQuery("""
                select (extract(epoch from minute)::bigint - ?1) / ?2 as bucket, path, sum(reports), sum(cycles), sum(errors),
                       sum(p95_weighted_sum), max(memory_max_bytes), sum(cpu_sum),
                       sum(sessions), count(sessions), count(*)
                from telemetry_rollups where rollout_key = ?3 and minute >= ?4 and minute < ?5
                group by 1, 2""")
                .setParameter(1, start).setParameter(2, step).setParameter(3, key)
                .setParameter(4, Timestamp.from(Instant.ofEpochSecond(start))).setParameter(5, Timestamp.from(to))
                .getResultList();
        double minutesPerBucket = step / 60.0;
        for (Object[] row : rows) {
            int bucket = ((Number) row[0]).intValue();
            Double[][] path = columns.get((String) row[1]);
            if (path == null || bucket < 0 || bucket >= buckets) {
                continue;
            }
            double reports = ((Number) row[2]).doubleValue();
            double cycles = ((Number) row[3]).doubleValue();
            path[0][bucket] = sessionsPerMinute(row, minutesPerBucket);
            path[1][bucket] = cycles == 0 ? null : ((Number) row[4]).doubleValue() / cycles;
            path[2][bucket] = cycles == 0 ? null : ((Number) row[5]).doubleValue() / cycles;
            path[3][bucket] = ((Number) row[6]).doubleValue();
            path[4][bucket] = reports == 0 ? null : ((Number) row[7]).doubleValue() / reports;
        }
        Map<String, PathSeries> paths = new LinkedHashMap<>();
        columns.forEach((name, c) -> paths.put(name, new PathSeries(Arrays.asList(c[0]), Arrays.asList(c[1]),
                Arrays.asList(c[2]), Arrays.asList(c[3]), Arrays.asList(c[4]))));
        return new Series(timestamps, paths);
    }

    /**
     * Mean distinct sessions per minute over the bucket (a minute without a rollup had none). Minutes
     * rolled up before V11 whose raw reports had expired have no count: the known minutes of the
     * bucket stand for them, and a bucket of unknown minutes only has no figure.
     */
    private static Double sessionsPerMinute(Object[] row, double minutesPerBucket) {
        long known = ((Number) row[9]).longValue();
        if (known == 0) {
            return null;
        }
        double sessions = ((Number) row[8]).doubleValue();
        long minutes = ((Number) row[10]).longValue();
        return sessions / known * minutes / minutesPerBucket;
    }
}
