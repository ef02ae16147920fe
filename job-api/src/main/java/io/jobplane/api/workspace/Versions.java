package io.jobplane.api.workspace;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.error.ApiException;

/** ETags from object versions, and the If-Match check that turns a lost update into a 412. */
public final class Versions {

    private Versions() {
    }

    public static EntityTag etag(int version) {
        return new EntityTag(Integer.toString(version));
    }

    /** Fails with 412 when the client's If-Match names another version than the current one. */
    public static void requireMatch(String ifMatch, Stamped current) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String expected = "\"" + current.version + "\"";
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(expected)) {
                return;
            }
        }
        throw new ApiException(Status.PRECONDITION_FAILED, "VERSION_MISMATCH",
                "The object changed since you read it: it is now at version " + current.version,
                "GET it again, re-apply your change to what you get, and send it with If-Match: " + expected + ".");
    }
}
