package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.security.ConsolePage;
import dev.rolloutcontroller.security.RequiresRole;
import dev.rolloutcontroller.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** The service's root opens the console (which asks to sign in first when needed). */
@Path("/")
@ConsolePage
@RequiresRole(Role.READER)
public class ConsoleRoot {

    @GET
    @ConsolePage.SignedOut
    public Response root() {
        return Response.seeOther(URI.create("/ui/")).build();
    }
}
