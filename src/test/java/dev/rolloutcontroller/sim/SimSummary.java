package dev.rolloutcontroller.sim;

import java.util.List;
import java.util.Map;

/**
 * What a simulation run ends with, printed as JSON.
 *
 * @param requests   request kind → HTTP status (or {@code io-error}) → count
 * @param errors     requests of every kind but the final read-back that got no status or one of 400 and above
 * @param latencyMs  request kind → count, p50, p99 and max, measured by the simulator (client side)
 * @param missedPolls polls that started a whole interval late because the simulator or the service fell behind
 */
record SimSummary(
        String rollout,
        long seed,
        Fleet fleet,
        String startedAt,
        double durationSeconds,
        Map<String, Map<String, Long>> requests,
        long errors,
        FlagReads flagReads,
        Map<String, Map<String, Object>> latencyMs,
        long missedPolls,
        Reports reports,
        List<Transition> transitions,
        RegressionTiming regression,
        int sessionsOnNewPathAtEnd) {

    record Fleet(int hosts, int sessionsPerHost, int sessions, String pollMode, double pollIntervalSeconds,
                 double reportIntervalSeconds, double cyclesPerSecond) {
    }

    /** @param notModifiedShare the share of flag reads answered 304 */
    record FlagReads(long total, long notModified, double notModifiedShare) {
    }

    /**
     * @param generated     reports the sessions produced
     * @param sent          reports the service acknowledged with 202 (accepted or duplicate)
     * @param notDelivered  reports still unacknowledged at the end, after retries
     * @param stored        sent reports the service holds, read back by replaying them all: a stored report comes
     *                      back as a duplicate (null when not verified)
     * @param lost          sent but not stored (null when not verified)
     */
    record Reports(long generated, long sent, long accepted, long duplicates, long failedAttempts, long notDelivered,
                   Long stored, Long lost, long cyclesNew, long cyclesLegacy) {
    }

    /** A state change of the rollout, from its audit log; {@code atSecond} counts from the start of the simulation. */
    record Transition(long id, String time, double atSecond, String type, String actor, String status, String step,
                      Integer percentage, String reason) {
    }

    /**
     * @param decision                      the event that acted on it (rolled back, stepped back or paused), if any
     * @param lastSessionOnLegacyAt         when the last simulated session switched to legacy; null while some
     *                                      session is still on the new path
     * @param decisionToLastLegacySeconds   from the decision to that moment
     * @param injectionToLastLegacySeconds  from the injection to that moment
     */
    record RegressionTiming(String injectedAt, double injectedAtSecond, int percentageAtInjection, int sessionsOnNewAtInjection,
                            String fixedAt, String decision, String decisionActor, String decisionAt,
                            Double injectionToDecisionSeconds, String lastSessionOnLegacyAt, Double decisionToLastLegacySeconds,
                            Double injectionToLastLegacySeconds) {
    }
}
