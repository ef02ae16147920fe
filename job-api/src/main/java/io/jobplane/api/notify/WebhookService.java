package io.jobplane.api.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.egress.EgressInstaller;
import io.jobplane.api.error.ApiException;
import io.jobplane.events.egress.Egress;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.security.Caller;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Webhooks of a workspace or a job (secrets sealed, changes audited) and the deliveries of run-end notifications. */
@ApplicationScoped
public class WebhookService {

    /** The field a webhook's signing secret is sealed to. */
    static final String SECRET = "secret";

    private static final String DELIVERIES_SQL = """
            select id, run_id, run_attempt, job_id, channel, webhook_id, payload, state, next_attempt_at, created_at
              from api.notification where workspace = $1 and %s order by id desc limit $3""";
    private static final String ATTEMPTS_SQL = """
            select notification_id, attempt, at, status_code, error, outcome, next_attempt_at
              from api.notification_attempt where notification_id = any($1) order by notification_id, attempt""";
    private static final String RUN_SQL = "select 1 from api.run where id = $1 and workspace = $2";

    private final SecretKeyring keyring;
    private final Audit audit;
    private final Pool pool;

    public WebhookService(SecretKeyring keyring, Audit audit, Pool pool) {
        this.keyring = keyring;
        this.audit = audit;
        this.pool = pool;
    }

    /** A webhook of the workspace ({@code jobId} null) or of one of its jobs. */
    @WithTransaction
    public Uni<WebhookView> create(Caller caller, UUID jobId, WebhookRequest request) {
        String url = checkedUrl(request.url());
        WebhookEntity w = new WebhookEntity();
        w.createdBy(caller.workspace(), caller.subject());
        w.jobId = jobId;
        w.url = url;
        w.events = request.events() == null || request.events().isEmpty() ? null
                : request.events().stream().distinct().map(Enum::name).sorted().toArray(String[]::new);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", url);
        details.put("events", w.events == null ? List.of() : List.of(w.events));
        if (jobId != null) {
            details.put("job_id", jobId.toString());
        }
        details.put("secret", Audit.SECRET_CHANGED);
        // The row is inserted at persist, before the id the secret is bound to is known to us: an empty
        // placeholder (never readable as a secret) stands in until the sealed value replaces it in the
        // same transaction.
        w.secret = "{}";
        return requireJob(caller, jobId)
                .chain(() -> w.<WebhookEntity>persist())
                // Sealed once the id it is bound to exists.
                .invoke(saved -> saved.secret = StoredJson.write(
                        keyring.seal(request.secret(), SecretOwner.webhook(saved.workspace, saved.id), SECRET)))
                .call(saved -> audit.record(caller, "webhook.created", "webhook", saved.id, details))
                .map(WebhookView::of);
    }

    /** Every webhook of the workspace ({@code jobId} null), or those of one job. */
    @WithSession
    public Uni<List<WebhookView>> list(Caller caller, UUID jobId) {
        Uni<List<WebhookEntity>> found = jobId == null
                ? WebhookEntity.<WebhookEntity>find("workspace = ?1 order by id", caller.workspace()).list()
                : requireJob(caller, jobId).chain(() -> WebhookEntity
                        .<WebhookEntity>find("workspace = ?1 and jobId = ?2 order by id", caller.workspace(), jobId).list());
        return found.map(all -> all.stream().map(WebhookView::of).toList());
    }

    @WithSession
    public Uni<WebhookView> get(Caller caller, UUID id) {
        return find(caller, id).map(WebhookView::of);
    }

    /** Deletes the webhook with its deliveries; pending ones are not sent. */
    @WithTransaction
    public Uni<Void> delete(Caller caller, UUID id) {
        return find(caller, id)
                .call(w -> audit.record(caller, "webhook.deleted", "webhook", w.id, Map.of("url", w.url)))
                .call(w -> w.delete())
                .replaceWithVoid();
    }

    /** The newest deliveries of a webhook first, each with its tries. */
    public Uni<List<DeliveryView>> deliveries(Caller caller, UUID webhookId, int limit) {
        return Panache.withSession(() -> find(caller, webhookId)).chain(w -> deliveries("webhook_id = $2", Tuple.of(caller.workspace(), webhookId, limit)));
    }

    /** Every notification of a run (mails and webhooks), newest first, each with its tries. */
    public Uni<List<DeliveryView>> ofRun(Caller caller, UUID runId) {
        return pool.preparedQuery(RUN_SQL).execute(Tuple.of(runId, caller.workspace())).chain(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound("run", runId);
            }
            return deliveries("run_id = $2", Tuple.of(caller.workspace(), runId, 1000));
        });
    }

    private Uni<List<DeliveryView>> deliveries(String where, Tuple params) {
        return pool.preparedQuery(DELIVERIES_SQL.formatted(where)).execute(params).chain(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong("id")));
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<DeliveryView>of());
            }
            return pool.preparedQuery(ATTEMPTS_SQL).execute(Tuple.of(ids.toArray(Long[]::new)))
                    .map(attempts -> views(rows, attempts));
        });
    }

    private static List<DeliveryView> views(RowSet<Row> rows, RowSet<Row> attemptRows) {
        Map<Long, List<DeliveryView.Attempt>> attempts = new LinkedHashMap<>();
        for (Row a : attemptRows) {
            attempts.computeIfAbsent(a.getLong("notification_id"), k -> new ArrayList<>())
                    .add(new DeliveryView.Attempt(a.getInteger("attempt"), instant(a, "at"), a.getInteger("status_code"),
                            a.getString("error"), a.getString("outcome"), instant(a, "next_attempt_at")));
        }
        List<DeliveryView> out = new ArrayList<>();
        for (Row r : rows) {
            boolean mail = RunEndNotifier.EMAIL.equals(r.getString("channel"));
            String state = r.getString("state");
            out.add(new DeliveryView(r.getLong("id"), r.getUUID("run_id").toString(), r.getInteger("run_attempt"),
                    r.getUUID("job_id") == null ? null : r.getUUID("job_id").toString(), r.getString("channel"),
                    r.getUUID("webhook_id") == null ? null : r.getUUID("webhook_id").toString(),
                    mail ? StoredJson.read(r.getString("payload"), RunEndNotifier.MailMessage.class).to() : null, state,
                    "PENDING".equals(state) ? instant(r, "next_attempt_at") : null, instant(r, "created_at"),
                    attempts.getOrDefault(r.getLong("id"), List.of())));
        }
        return out;
    }

    private static Uni<WebhookEntity> find(Caller caller, UUID id) {
        return WebhookEntity.<WebhookEntity>find("workspace = ?1 and id = ?2", caller.workspace(), id).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("webhook", id));
    }

    private static Uni<Void> requireJob(Caller caller, UUID jobId) {
        return jobId == null ? Uni.createFrom().voidItem()
                : JobEntity.findInWorkspace(caller.workspace(), jobId)
                        .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId)).replaceWithVoid();
    }

    /** An absolute http or https URL with a host and no credentials in it. */
    static String checkedUrl(String url) {
        String trimmed = url.trim();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalidUrl("'" + trimmed + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalidUrl("webhook URLs must be http or https, not '" + (scheme.isEmpty() ? trimmed : scheme) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalidUrl("the webhook URL names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalidUrl("the webhook URL carries credentials, which every read of the webhook would show");
        }
        try {
            Egress.policy().checkWithoutLookup(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80);
        } catch (EgressDeniedException e) {
            throw EgressInstaller.refused("url", e);
        }
        return trimmed;
    }

    private static ApiException invalidUrl(String message) {
        return ApiException.badRequest("INVALID_WEBHOOK_URL", message,
                "Send an absolute http:// or https:// URL with a host, e.g. https://hooks.example.com/jobplane; receivers"
                        + " authenticate jobplane by the signature, not by credentials in the URL.");
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
