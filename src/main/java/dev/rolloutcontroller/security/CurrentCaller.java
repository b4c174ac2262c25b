package dev.rolloutcontroller.security;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** The caller of the current request, set by {@link AuthenticationFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }

    /** The caller when there is one: the console's sign-in page and the open routes have none. */
    public Optional<Caller> find() {
        return Optional.ofNullable(caller);
    }

    /** The actor recorded in the audit log. */
    public String name() {
        return get().name();
    }
}
