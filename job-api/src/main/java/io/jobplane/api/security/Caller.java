package io.jobplane.api.security;

/** Who is calling, in which workspace, with which role; established once per request. */
public record Caller(String subject, String workspace, Role role) {
}
