package io.jobplane.api.dialect.vdk.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * VDK's {@code DateTime} scalar: an ISO-8601 date-time with an offset ({@code 2026-12-02T10:15:30Z},
 * {@code 2026-12-02T12:15:30+02:00}) read as an {@link Instant}, written back in UTC.
 */
final class DateTimeScalar {

    static final GraphQLScalarType TYPE = GraphQLScalarType.newScalar()
            .name("DateTime")
            .description("An ISO-8601 date-time with an offset, such as 2026-12-02T10:15:30Z")
            .coercing(new InstantCoercing())
            .build();

    private DateTimeScalar() {
    }

    private static final class InstantCoercing implements Coercing<Instant, String> {

        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof Instant instant) {
                return VdkGraphModel.iso(instant);
            }
            throw new CoercingSerializeException("A DateTime is expected");
        }

        @Override
        public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
            if (input instanceof String text) {
                Instant instant = parse(text);
                if (instant != null) {
                    return instant;
                }
            }
            throw new CoercingParseValueException("A DateTime is an ISO-8601 date-time with an offset, such as "
                    + "2026-12-02T10:15:30Z");
        }

        @Override
        public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                Locale locale) {
            if (input instanceof StringValue text) {
                Instant instant = parse(text.getValue());
                if (instant != null) {
                    return instant;
                }
            }
            throw new CoercingParseLiteralException("A DateTime is an ISO-8601 date-time with an offset, such as "
                    + "2026-12-02T10:15:30Z");
        }

        private static Instant parse(String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
