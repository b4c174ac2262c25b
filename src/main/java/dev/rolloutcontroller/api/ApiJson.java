package dev.rolloutcontroller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.rolloutcontroller.domain.FreeText;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * How the API writes and reads JSON. Members whose value is null are left out of every answer.
 * Request bodies: a duplicate member or (outside telemetry, whose records opt out) an
 * unknown member is refused rather than silently resolved, and every string passes the
 * {@link FreeText} rule, so a NUL never reaches PostgreSQL whichever field it arrives in.
 */
@Singleton
public class ApiJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.registerModule(new SimpleModule("free-text").addDeserializer(String.class, new FreeTextDeserializer(false)));
    }

    /** A string member that breaks the free-text rule; the parser's path names the member. */
    public static final class FreeTextException extends MismatchedInputException {
        FreeTextException(JsonParser parser, String message) {
            super(parser, message, String.class);
        }
    }

    /** Reads strings as Jackson does, then applies the rule of the member they are the value of. */
    static final class FreeTextDeserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {

        private final boolean multiLine;

        FreeTextDeserializer(boolean multiLine) {
            super(String.class);
            this.multiLine = multiLine;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean prose = property != null && FreeText.isMultiLine(property.getName());
            return prose == multiLine ? this : new FreeTextDeserializer(prose);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, ctxt);
            String problem = FreeText.problem(value, multiLine).orElse(null);
            if (problem != null) {
                throw new FreeTextException(parser, problem);
            }
            return value;
        }
    }
}
