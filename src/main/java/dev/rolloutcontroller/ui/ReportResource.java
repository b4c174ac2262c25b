package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.api.Problem;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Go/No-Go report as Markdown, for a change ticket; the console shows the same model as a page. */
@Path("/api/v1/rollouts/{key}/report")
@Tag(name = "Rollouts")
@SecurityRequirement(name = "bearerToken")
public class ReportResource {

    static final String MARKDOWN = "text/markdown";

    private final GoNoGoReports reports;

    ReportResource(GoNoGoReports reports) {
        this.reports = reports;
    }

    @GET
    @Produces(MARKDOWN + ";charset=UTF-8")
    @RequiresRole(Role.READER)
    @Operation(summary = "The Go/No-Go report as Markdown",
            description = "Every step so far with each checklist item's state and evidence, every sign-off (role, name, time, "
                    + "comment), the decisions taken, and the Go/No-Go line (final approval, date, deployment window).")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = MARKDOWN, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such rollout",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public String markdown(@PathParam("key") String key) {
        return Markdown.render(reports.report(key));
    }
}
