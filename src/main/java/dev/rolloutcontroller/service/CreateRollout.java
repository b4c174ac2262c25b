package dev.rolloutcontroller.service;

import dev.rolloutcontroller.domain.PlanSpec;

import java.util.List;

/** What an operator sends to create a rollout; everything but {@code key} has a default. */
public record CreateRollout(String key, String description, Boolean shadowStep, Boolean autoAdvance,
                            List<String> canarySessions, PlanSpec plan, String envPrefix, String flagVariable,
                            String stickinessGroup) {
}
