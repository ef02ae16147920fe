package io.jobplane.api.job.settings;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Who hears about a run's end (CData {@code Send_Email}, {@code Email_To}, {@code Email_Subject}, {@code Email_Error_Only}). */
public record Notifications(
        Boolean sendEmail,
        @Size(max = 50) List<@NotBlank @Email @Size(max = 254) String> emailTo,
        @Size(max = 255) String emailSubject,
        Boolean emailErrorOnly) {

    static final Notifications DEFAULT = new Notifications(false, List.of(), null, false);

    Notifications withDefaults() {
        return new Notifications(sendEmail != null && sendEmail, emailTo == null ? List.of() : emailTo, emailSubject,
                emailErrorOnly != null && emailErrorOnly);
    }
}
