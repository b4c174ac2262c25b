package dev.rolloutcontroller.evaluator;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Sign-offs. Any token reaches these methods; the service then requires the role being signed
 * (qa-lead, tech-lead, devops, product, security), so the filter cannot express it statically.
 */
@Path("/api/v1/rollouts/{key}/sign-offs")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.READER)
@Tag(name = "Sign-offs", description = "Role approvals that sign-off gates wait for")
@SecurityRequirement(name = "bearerToken")
public class SignOffResource {

    /** Declared as {@link SignOffService#signOff} checks it: the roles of sign-off gates, a step of the plan. */
    public record SignOffRequest(
            @Schema(required = true, enumeration = {"qa-lead", "tech-lead", "devops", "product", "security"})
            String role,
            @Schema(nullable = true, maxLength = 63, pattern = "^[a-z0-9][a-z0-9-]{0,62}$",
                    description = "A step of the plan; left out: the next step whose entry gates need the role, else the current one")
            String step,
            @Schema(nullable = true, maxLength = SignOffService.MAX_COMMENT,
                    description = "Free text; line breaks and tabs allowed, no other control characters")
            String comment) {
    }

    public record SignOffList(List<SignOffService.SignOffView> signOffs) {
    }

    private final SignOffService signOffs;
    private final CurrentCaller caller;

    SignOffResource(SignOffService signOffs, CurrentCaller caller) {
        this.signOffs = signOffs;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign off a step as a role the token holds",
            description = "Without a step: the next step when its entry gates need the role, else the current step. "
                    + "Signing again is a no-op (200).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "devops", value = "{\"role\":\"devops\",\"step\":\"canary\",\"comment\":\"monitoring ready\"}")))
    @APIResponse(responseCode = "201", description = "Signed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignOffService.SignOffView.class)))
    @APIResponse(responseCode = "200", description = "Already signed by this role",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignOffService.SignOffView.class)))
    @APIResponse(responseCode = "403", description = "The token does not hold the role")
    @APIResponse(responseCode = "409", description = "The step has already been left")
    public Response signOff(@PathParam("key") String key, SignOffRequest request, UriInfo uri) {
        if (request == null) {
            throw ServiceException.invalid("role", "required: {\"role\": \"qa-lead\", \"step\": \"canary\", \"comment\": \"...\"}");
        }
        SignOffService.Given given = signOffs.signOff(key, request.role(), request.step(), request.comment(), caller.get());
        if (!given.created()) {
            return Response.ok(given.signOff()).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(given.signOff().id())).build())
                .entity(given.signOff()).build();
    }

    @GET
    @Operation(summary = "Every sign-off of the rollout, with actor and time (withdrawn ones too)")
    public SignOffList list(@PathParam("key") String key) {
        return new SignOffList(signOffs.list(key));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Withdraw a sign-off before its step is left")
    @APIResponse(responseCode = "200", description = "Withdrawn",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignOffService.SignOffView.class)))
    @APIResponse(responseCode = "409", description = "The step has already been left")
    public SignOffService.SignOffView withdraw(@PathParam("key") String key, @PathParam("id") long id) {
        return signOffs.withdraw(key, id, caller.get());
    }
}
