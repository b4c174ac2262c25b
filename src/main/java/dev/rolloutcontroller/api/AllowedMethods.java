package dev.rolloutcontroller.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 405 names the methods the path does allow (RFC 9110 requires Allow), which the REST layer does
 * not fill in: every resource method is recorded once at startup with its path template.
 */
@Provider
public class AllowedMethods implements DynamicFeature {

    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{\\s*\\w+\\s*(?::\\s*([^}]+))?}");
    private static final Map<Pattern, Set<String>> METHODS_BY_PATH = new ConcurrentHashMap<>();

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        String httpMethod = httpMethod(method);
        if (httpMethod == null) {
            return;
        }
        Path classPath = resource.getResourceClass().getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String template = join(classPath == null ? "" : classPath.value(), methodPath == null ? "" : methodPath.value());
        METHODS_BY_PATH.computeIfAbsent(toPattern(template), p -> ConcurrentHashMap.newKeySet()).add(httpMethod);
    }

    /** The methods served at a concrete path, with HEAD beside GET and OPTIONS always; empty when unknown. */
    static Set<String> allowedAt(String path) {
        Set<String> allowed = new TreeSet<>();
        METHODS_BY_PATH.forEach((pattern, methods) -> {
            if (pattern.matcher(path).matches()) {
                allowed.addAll(methods);
            }
        });
        if (allowed.contains(HttpMethod.GET)) {
            allowed.add(HttpMethod.HEAD);
        }
        if (!allowed.isEmpty()) {
            allowed.add(HttpMethod.OPTIONS);
        }
        return allowed;
    }

    @ServerExceptionMapper
    public Response mapNotAllowed(NotAllowedException e, UriInfo uri) {
        Response.ResponseBuilder response = ProblemMapping.problem(405,
                "this method is not allowed on this path", uri.getPath()).toResponse();
        Set<String> allowed = allowedAt(uri.getPath());
        if (!allowed.isEmpty()) {
            response.header(HttpHeaders.ALLOW, String.join(", ", allowed));
        }
        return response.build();
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod designator = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (designator != null) {
                return designator.value();
            }
        }
        return null;
    }

    private static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** "/a/{key}/{action: x|y}" → ^/a/[^/]+/(?:x|y)$, the way JAX-RS matches a template. */
    static Pattern toPattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher variable = TEMPLATE_VARIABLE.matcher(template);
        int last = 0;
        while (variable.find()) {
            regex.append(Pattern.quote(template.substring(last, variable.start())));
            regex.append(variable.group(1) == null ? "[^/]+" : "(?:" + variable.group(1).trim() + ")");
            last = variable.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
