package io.jobplane.api.internal;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.RunState;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.StepPackageTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Where workers fetch a STEPS run's package by its hash: launch commands carry only the package's
 * sha256, size and steps. Internal: no tenant token opens it (it is not {@code @Authenticated}, and a
 * bearer token is ignored), it is left out of the API document, and a deployment routes
 * {@code /internal/} from the workers' network only.
 *
 * <p>The caller shows a {@link StepPackageTokens} token in {@value #TOKEN_HEADER}, made from the
 * secrets keyring for this package and one run. The bytes are sent only when the token's MAC
 * matches, it has not expired and lives at most five minutes, and that run is active
 * ({@code DISPATCHED}, {@code RUNNING}, {@code CANCELLING}) and pinned to a package of this hash;
 * anything else is {@code 403 PACKAGE_TOKEN_REFUSED} (a JSON error, nothing of the package). A
 * run's pinned version deleted since the launch is {@code 404 STEP_PACKAGE_NOT_FOUND}.
 */
@Path("/internal/v1/step-packages")
public class StepPackageResource {

    /** The request header that carries the token. */
    public static final String TOKEN_HEADER = StepPackageTokens.HEADER;
    public static final String REFUSED = "PACKAGE_TOKEN_REFUSED";
    public static final String NOT_FOUND = "STEP_PACKAGE_NOT_FOUND";
    public static final String ZIP = "application/zip";

    private static final Logger LOG = Logger.getLogger(StepPackageResource.class);
    private static final String ACTIVE = RunState.ACTIVE.stream().map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    /** The run's pinned package: its hash, and its bytes only when the hash is the one asked for. */
    private static final String PINNED_SQL = """
            select s.sha256, case when s.sha256 = $2 then s.content end as content
              from api.run r
              left join api.job_source s on s.job_id = r.job_id and s.version = r.source_version
             where r.id = $1 and r.state in""" + " " + ACTIVE;

    private final StepPackageTokens tokens;
    private final Pool pool;

    public StepPackageResource(SecretKeyring keyring, Pool pool) {
        this.tokens = new StepPackageTokens(keyring);
        this.pool = pool;
    }

    @GET
    @Path("{sha256}")
    @Produces({ ZIP, MediaType.APPLICATION_JSON })
    @Operation(hidden = true)
    public Uni<Response> fetch(@PathParam("sha256") String sha256, @HeaderParam(TOKEN_HEADER) String token) {
        String shortSha = sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
        UUID run;
        try {
            if (token == null || token.isBlank()) {
                throw refused("no step package token was sent (" + TOKEN_HEADER + ")");
            }
            run = UUID.fromString(tokens.verify(token, sha256, Instant.now()));
        } catch (StepPackageTokens.Refused e) {
            LOG.warnf("step package %s: a fetch was refused: %s", shortSha, e.reason());
            return Uni.createFrom().failure(refused(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(refused("the token names no run"));
        } catch (ApiException e) {
            return Uni.createFrom().failure(e);
        }
        return pool.preparedQuery(PINNED_SQL).execute(Tuple.of(run, sha256)).map(rows -> {
            Row row = rows.size() == 0 ? null : rows.iterator().next();
            if (row == null || (row.getString("sha256") != null && row.getBuffer("content") == null)) {
                LOG.warnf("step package %s: a fetch for run %s was refused: the run is not active or not pinned to it", shortSha, run);
                throw refused("the token's run is not active, or is not pinned to this package");
            }
            if (row.getString("sha256") == null) {
                throw new ApiException(Status.NOT_FOUND, NOT_FOUND,
                        "The step package version run " + run + " was launched with is gone (the job's sources were deleted)",
                        "Upload the job's package again and launch a new run.");
            }
            byte[] content = row.getBuffer("content").getBytes();
            return Response.ok(content, ZIP).header("Cache-Control", "no-store").build();
        });
    }

    private static ApiException refused(String why) {
        return new ApiException(Status.FORBIDDEN, REFUSED, "The step package token is refused: " + why,
                "This endpoint is for execution workers only. A worker makes its token from the platform's secrets"
                        + " keyring (jobplane.secrets.*): give it the same keyring as job-api and keep their clocks in step.");
    }
}
