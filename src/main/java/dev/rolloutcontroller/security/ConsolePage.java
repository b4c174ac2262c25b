package dev.rolloutcontroller.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource of the operator console: it authenticates by the console session cookie
 * ({@link ConsoleAuthenticationFilter}), not by a bearer token, and its unsafe requests must carry
 * the session's CSRF token. {@link RequiresRole} applies as everywhere else.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConsolePage {

    /** A console method reachable without a session: the sign-in page and its form. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface SignedOut {
    }
}
