package dev.rolloutcontroller.bench.ceiling;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The least a Quarkus REST endpoint can do: a constant JSON body of about the flag read's size, on the event loop. */
@Path("/ceiling")
public class CeilingResource {

    private static final String BODY = "{\"rollout\":\"bench-flags\",\"session\":\"session-42\",\"enabled\":true,"
            + "\"reason\":\"PERCENTAGE\",\"bucket\":17,\"status\":\"ACTIVE\",\"step\":\"gradual\",\"percentage\":50,"
            + "\"shadowMode\":false,\"version\":3}";

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public String ceiling() {
        return BODY;
    }
}
