package dev.rolloutcontroller.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource class whose protocol defines 401 and 403 without a body (OFREP): the
 * {@link AuthenticationFilter} answers those statuses bare instead of with a problem document.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BodylessAuthErrors {
}
