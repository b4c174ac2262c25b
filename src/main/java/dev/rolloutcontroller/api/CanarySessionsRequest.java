package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

public record CanarySessionsRequest(
        @Schema(description = "The whole canary list (replaces the current one); 1-128 printable characters each, "
                + "no commas or whitespace, at most 10,000", required = true, maxItems = 10_000,
                examples = "[\"session1\",\"session2\",\"session3\"]")
        List<String> sessions) {
}
