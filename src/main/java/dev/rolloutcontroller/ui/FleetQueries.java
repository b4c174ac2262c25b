package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.persistence.RolloutEntity;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the fleet section reads that no service exposes yet: sessions per path and shadow comparisons. */
@ApplicationScoped
class FleetQueries {

    record ShadowTotals(String category, long comparisons, long mismatches) {
    }

    /** Sessions that reported since {@code since}, by path ("new", "legacy"). */
    Map<String, Long> sessionsByPath(String key, Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = RolloutEntity.getEntityManager().createNativeQuery("""
                select path, count(*) from telemetry_sessions where rollout_key = ?1 and last_seen >= ?2 group by path""")
                .setParameter(1, key).setParameter(2, Timestamp.from(since)).getResultList();
        Map<String, Long> byPath = new LinkedHashMap<>();
        byPath.put("new", 0L);
        byPath.put("legacy", 0L);
        rows.forEach(row -> byPath.put((String) row[0], ((Number) row[1]).longValue()));
        return byPath;
    }

    /** Shadow comparisons per category since {@code since} (the step's start). */
    List<ShadowTotals> shadowComparisons(String key, Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = RolloutEntity.getEntityManager().createNativeQuery("""
                select category, sum(comparisons), sum(mismatches) from shadow_comparisons
                where rollout_key = ?1 and period_end >= ?2 group by category order by category""")
                .setParameter(1, key).setParameter(2, Timestamp.from(since)).getResultList();
        return rows.stream().map(row -> new ShadowTotals((String) row[0], ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue())).toList();
    }
}
