package dev.rolloutcontroller.security;

import java.util.Set;
import java.util.UUID;

/** The authenticated holder of a token; {@code name} is what the audit log records as the actor. */
public record Caller(UUID tokenId, String name, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** Admin may do everything; any valid token may read; every other role must be held. */
    public boolean may(Role required) {
        return roles.contains(Role.ADMIN) || required == Role.READER || roles.contains(required);
    }
}
