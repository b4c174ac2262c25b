package dev.rolloutcontroller.security;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** The console session of the current request, set by {@link ConsoleAuthenticationFilter}. */
@RequestScoped
public class CurrentConsoleSession {

    private ConsoleSessions.Session session;

    void set(ConsoleSessions.Session session) {
        this.session = session;
    }

    public Optional<ConsoleSessions.Session> get() {
        return Optional.ofNullable(session);
    }

    /** The CSRF token the pages put in every form (empty on the signed-out pages). */
    public String csrfToken() {
        return session == null ? "" : session.csrfToken();
    }
}
