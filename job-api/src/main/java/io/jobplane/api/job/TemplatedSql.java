package io.jobplane.api.job;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import io.jobplane.events.sql.SqlTemplate;

/**
 * A task's SQL whose templated values ({@code {{FD_DATE}}}, launch parameters…) can all be bound as
 * parameters: one written where no parameter can go (inside quotes) is refused when the task is
 * saved, with the fix, rather than failing its runs later. The destination is not known here, so
 * text that either dialect reads passes; {@link TaskSyntax} then reads it in the destination's own.
 * Folder-load and file-copy tasks, whose paths hold their values in the text, are checked by
 * {@link TaskSyntax} alone.
 */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
@Constraint(validatedBy = TemplatedSql.Check.class)
public @interface TemplatedSql {

    String message() default "is not a valid SQL template";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Reads the SQL as a worker will. */
    class Check implements ConstraintValidator<TemplatedSql, String> {
        @Override
        public boolean isValid(String sql, ConstraintValidatorContext context) {
            if (sql == null) {
                return true;
            }
            try {
                SqlTemplate.parse(sql);
                return true;
            } catch (SqlTemplate.TemplateException e) {
                if (readsAsMysql(sql) || TaskSyntax.isFileTask(sql)) {
                    // A folder load's or file copy's paths take values in their text; TaskSyntax checks them for the job's type.
                    return true;
                }
                context.disableDefaultConstraintViolation();
                // The message is text, not a message template: its braces must not be interpolated.
                context.buildConstraintViolationWithTemplate(e.getMessage().replaceAll("([\\\\{}$])", "\\\\$1"))
                        .addConstraintViolation();
                return false;
            }
        }

        private static boolean readsAsMysql(String sql) {
            try {
                SqlTemplate.parse(sql, SqlTemplate.Dialect.MYSQL);
                return true;
            } catch (SqlTemplate.TemplateException e) {
                return false;
            }
        }
    }
}
