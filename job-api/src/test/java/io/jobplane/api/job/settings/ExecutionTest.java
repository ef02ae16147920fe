package io.jobplane.api.job.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

class ExecutionTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static Execution runTimeout(Integer seconds) {
        return new Execution(null, null, null, null, null, null, 60, seconds, null);
    }

    private static Set<String> invalid(Execution execution) {
        return VALIDATOR.validate(execution).stream().map(ConstraintViolation::getPropertyPath).map(Object::toString)
                .collect(Collectors.toSet());
    }

    @Test
    void aRunTimeoutIsOneSecondToThirtyDays() {
        assertTrue(invalid(runTimeout(1)).isEmpty());
        assertTrue(invalid(runTimeout(Execution.MAX_RUN_TIMEOUT_SECONDS)).isEmpty());
        assertTrue(invalid(runTimeout(null)).isEmpty(), "absent: no limit");
        assertEquals(Set.of("runTimeoutSeconds"), invalid(runTimeout(0)));
        assertEquals(Set.of("runTimeoutSeconds"), invalid(runTimeout(-1)));
        assertEquals(Set.of("runTimeoutSeconds"), invalid(runTimeout(Execution.MAX_RUN_TIMEOUT_SECONDS + 1)));
    }

    @Test
    void defaultsKeepTheRunTimeoutAndSetNoneWhenAbsent() {
        assertEquals(900, runTimeout(900).withDefaults().runTimeoutSeconds());
        assertEquals(60, runTimeout(900).withDefaults().taskTimeoutSeconds());
        assertNull(Execution.DEFAULT.withDefaults().runTimeoutSeconds());
    }
}
