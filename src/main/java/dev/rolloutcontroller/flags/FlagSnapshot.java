package dev.rolloutcontroller.flags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every rollout's flags at one moment. Immutable: a change builds a new snapshot, which replaces
 * the old one whole, so a reader always sees one consistent set.
 */
final class FlagSnapshot {

    static final FlagSnapshot EMPTY = new FlagSnapshot(Map.of());

    private final Map<String, RolloutFlags> byKey;
    private final List<RolloutFlags> ordered;
    private final long generation;
    private final long tagSeed;

    private FlagSnapshot(Map<String, RolloutFlags> byKey) {
        this.byKey = Map.copyOf(byKey);
        this.ordered = byKey.values().stream().sorted(Comparator.comparing(RolloutFlags::key)).toList();
        long versions = 0;
        long seed = ETags.seed("all", ordered.size());
        for (RolloutFlags flags : ordered) {
            versions += flags.version();
            seed = ETags.mix(ETags.mix(seed, flags.tagSeed()), flags.version());
        }
        this.generation = versions;
        this.tagSeed = seed;
    }

    Optional<RolloutFlags> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Every rollout, by key. */
    List<RolloutFlags> all() {
        return ordered;
    }

    /**
     * Those of the candidates that are newer than what this snapshot holds. Versions only move
     * forward, so a refresh that read the database just before a commit can never undo the update
     * that commit made; rollouts are never deleted, so a refresh never drops one.
     */
    List<RolloutFlags> newer(Collection<RolloutFlags> candidates) {
        List<RolloutFlags> newer = new ArrayList<>();
        for (RolloutFlags candidate : candidates) {
            if (isNewer(candidate.key(), candidate.version())) {
                newer.add(candidate);
            }
        }
        return newer;
    }

    boolean isNewer(String key, long version) {
        RolloutFlags held = byKey.get(key);
        return held == null || version > held.version();
    }

    /** This snapshot with the given rollouts put in (replacing what it holds under their keys). */
    FlagSnapshot with(Collection<RolloutFlags> replacements) {
        Map<String, RolloutFlags> next = new HashMap<>(byKey);
        replacements.forEach(flags -> next.put(flags.key(), flags));
        return new FlagSnapshot(next);
    }

    /** The tag of a representation covering every rollout, for one session. */
    String tag(char representation, String session) {
        return ETags.tag('g', generation, tagSeed, representation, session);
    }
}
