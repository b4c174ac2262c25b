package dev.rolloutcontroller.api;

import dev.rolloutcontroller.service.ServiceException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.function.Function;

/**
 * Numeric query parameters that do not parse are the client's mistake, named: a 400 for
 * {@code limit=abc} rather than the 404 JAX-RS prescribes for any query parameter it cannot convert.
 */
@Provider
public class QueryParameters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = queryParamName(annotations);
        if (name == null) {
            return null;
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) new Numeric<>(name, Integer::valueOf, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) new Numeric<>(name, Long::valueOf, "an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
        }
        return null;
    }

    /**
     * The REST layer wraps a converter's refusal of a query parameter in a 404; unwrap it back to the
     * 400 the converter meant. Any other 404 stays one.
     */
    @ServerExceptionMapper
    public Response mapNotFound(NotFoundException e, UriInfo uri) {
        ProblemMapping problems = new ProblemMapping();
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof ServiceException refusal) {
                return problems.mapService(refusal, uri);
            }
        }
        return problems.mapWebApplication(e, uri);
    }

    private static String queryParamName(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            }
        }
        return null;
    }

    private record Numeric<N extends Number>(String name, Function<String, N> parse, String expected) implements ParamConverter<N> {

        @Override
        public N fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return parse.apply(value.trim());
            } catch (NumberFormatException e) {
                throw ServiceException.invalid(name, "must be " + expected);
            }
        }

        @Override
        public String toString(N value) {
            return value.toString();
        }
    }
}
