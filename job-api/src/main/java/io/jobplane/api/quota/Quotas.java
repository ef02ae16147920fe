package io.jobplane.api.quota;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.config.QuotasConfig;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.StoredJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A workspace's effective quotas (the deployment's {@code jobplane.quotas.*}, tightened by the
 * workspace's own) and its launch rate. Save-time checks read the workspace's quotas afresh; the
 * launch rate, on the launch path, uses them cached for a few seconds.
 */
@ApplicationScoped
public class Quotas {

    private static final Duration CACHED = Duration.ofSeconds(5);
    private static final String OWN_SQL = "select quotas from api.workspace where id = $1";

    private final QuotaLimits deployment;
    private final Pool pool;
    private final LaunchRate rate = new LaunchRate(System::nanoTime);
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Quotas(QuotasConfig config, Pool pool) {
        this.deployment = QuotaLimits.of(config);
        this.pool = pool;
    }

    private record Cached(QuotaLimits limits, long until) {
    }

    /** The workspace's effective quotas, read now. */
    public Uni<QuotaLimits> of(String workspace) {
        return pool.preparedQuery(OWN_SQL).execute(Tuple.of(workspace)).map(rows -> {
            String own = rows.size() == 0 ? null : rows.iterator().next().getString("quotas");
            QuotaLimits limits = deployment.within(own == null ? null : StoredJson.read(own, QuotaLimits.class));
            cache.put(workspace, new Cached(limits, System.nanoTime() + CACHED.toNanos()));
            return limits;
        });
    }

    /**
     * Takes one launch of the workspace's rate, or fails with {@code 429 RATE_LIMITED} saying when
     * to try again ({@link RateLimited#retryAfterSeconds()}, sent as {@code Retry-After}).
     */
    public Uni<Void> takeLaunch(String workspace) {
        Cached cached = cache.get(workspace);
        Uni<QuotaLimits> limits = cached != null && cached.until - System.nanoTime() > 0
                ? Uni.createFrom().item(cached.limits) : of(workspace);
        return limits.invoke(q -> {
            long wait = rate.acquire(workspace, q.launchesPerMinute(), q.launchBurst());
            if (wait > 0) {
                throw new RateLimited(wait, q.launchesPerMinute(), q.launchBurst());
            }
        }).replaceWithVoid();
    }

    /** A launch over the workspace's rate: 429 with the seconds until the next launch may go. */
    public static final class RateLimited extends ApiException {

        private final long retryAfterSeconds;

        RateLimited(long retryAfterSeconds, int perMinute, int burst) {
            super(Status.TOO_MANY_REQUESTS, "RATE_LIMITED",
                    "This workspace launches more than " + perMinute + " runs a minute (bursts of " + burst + ")",
                    "Wait " + retryAfterSeconds + " s (Retry-After) and launch again; send an Idempotency-Key so a retry"
                            + " cannot start a run twice. A backfill launches a range of runs in one request.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
