package dev.rolloutcontroller.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.security.TokenService;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.ADMIN)
@Tag(name = "Tokens", description = "API tokens (admin)")
@SecurityRequirement(name = "bearerToken")
public class TokenResource {

    /** Declared as {@link TokenService#create} checks it. */
    public record CreateTokenRequest(
            @Schema(required = true, minLength = 1, maxLength = TokenService.MAX_NAME, pattern = TokenService.NAME_PATTERN)
            String name,
            @Schema(required = true, type = SchemaType.ARRAY, minItems = 1, implementation = RoleName.class,
                    description = "Repeated roles count once")
            List<String> roles) {
    }

    /** A role as tokens carry it ({@link Role}'s wire names). */
    @Schema(name = "RoleName", type = SchemaType.STRING,
            enumeration = {"admin", "operator", "reporter", "reader", "qa-lead", "tech-lead", "devops", "product", "security"})
    public static final class RoleName {
        private RoleName() {
        }
    }

    /** The only response that ever carries the secret. */
    public record CreatedToken(UUID id, String name, List<String> roles, java.time.Instant createdAt, String token) {
    }

    public record TokenList(List<TokenService.TokenView> tokens) {
    }

    private final TokenService tokens;
    private final CurrentCaller caller;

    TokenResource(TokenService tokens, CurrentCaller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a token; its secret is in this response only")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "daemon", value = "{\"name\":\"monitor-daemons\",\"roles\":[\"reader\",\"reporter\"]}")))
    @APIResponse(responseCode = "201", description = "Created; 'token' is the secret, shown once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedToken.class)))
    @APIResponse(responseCode = "409", description = "An active token with this name exists")
    public Response create(CreateTokenRequest request, UriInfo uri) {
        if (request == null) {
            throw ServiceException.invalid("body", "a JSON object with name and roles is required");
        }
        TokenService.IssuedToken issued = tokens.create(request.name(), request.roles(), caller.name());
        TokenService.TokenView view = issued.token();
        return Response.created(uri.getAbsolutePathBuilder().path(view.id().toString()).build())
                .entity(new CreatedToken(view.id(), view.name(), view.roles(), view.createdAt(), issued.secret()))
                .build();
    }

    @GET
    @Operation(summary = "List tokens (never their secrets)")
    public TokenList list() {
        return new TokenList(tokens.list());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token; it stops working at once")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such token")
    public Response revoke(@PathParam("id") String id) {
        UUID tokenId;
        try {
            tokenId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ServiceException.notFound("token " + id);
        }
        tokens.revoke(tokenId, caller.name());
        return Response.noContent().build();
    }
}
