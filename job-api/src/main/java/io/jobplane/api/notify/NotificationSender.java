package io.jobplane.api.notify;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.jboss.logging.Logger;

import io.jobplane.api.config.NotificationsConfig;
import io.jobplane.api.connection.ConnectionTester;
import io.jobplane.api.json.StoredJson;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressHttp;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sends due deliveries of {@code api.notification} and records every try. A replica claims a batch
 * of due rows in one statement ({@code for update skip locked}), counting the try and pushing its
 * next time past the send's timeout, so two replicas never send the same try and a replica that dies
 * mid-send leaves the row to be tried again. Webhooks are POSTed with an HMAC signature through
 * egress-checked sockets (an address the policy refuses fails the delivery at once); 2xx
 * delivers, 408, 425, 429, 5xx and network failures or timeouts are tried again after a capped
 * exponential backoff, other answers refuse the delivery. Mails go through Quarkus Mailer and are
 * tried again on any failure.
 */
@ApplicationScoped
public class NotificationSender {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    private static final int BATCH = 50;
    private static final int MAX_ERROR = 500;

    private static final String CLAIM_SQL = """
            update api.notification n set attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
             where n.id in (select id from api.notification where state = 'PENDING' and next_attempt_at <= now()
                             order by next_attempt_at limit $2 for update skip locked)
            returning n.id, n.channel, n.payload, n.attempts, n.webhook_id,
                      (select w.url from api.webhook w where w.id = n.webhook_id) as url,
                      (select w.secret from api.webhook w where w.id = n.webhook_id) as secret,
                      (select w.workspace from api.webhook w where w.id = n.webhook_id) as webhook_workspace""";
    private static final String RECORD_SQL = """
            with tried as (
                insert into api.notification_attempt (notification_id, attempt, at, status_code, error, outcome, next_attempt_at)
                values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing)
            update api.notification set state = $8, next_attempt_at = $7 where id = $1 and attempts = $2""";

    private final Pool pool;
    private final ReactiveMailer mailer;
    private final SecretKeyring keyring;
    private final NotificationsConfig config;
    private final CloseableHttpClient http;
    private final AtomicBoolean polling = new AtomicBoolean();
    private Vertx vertx;
    private long timer;

    public NotificationSender(Pool pool, ReactiveMailer mailer, SecretKeyring keyring, NotificationsConfig config) {
        this.pool = pool;
        this.mailer = mailer;
        this.keyring = keyring;
        this.config = config;
        this.http = EgressHttp.client(config.webhookTimeout(), BATCH);
    }

    /** Polls on a Vert.x timer rather than the scheduler, whose ticks are a second apart. */
    void start(@Observes StartupEvent startup, Vertx vertx) {
        this.vertx = vertx;
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), tick -> {
            if (polling.compareAndSet(false, true)) {
                sendDue().subscribe().with(done -> polling.set(false), failure -> polling.set(false));
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
    }

    Uni<Void> sendDue() {
        double lease = config.webhookTimeout().plusSeconds(60).toSeconds();
        return pool.preparedQuery(CLAIM_SQL).execute(Tuple.of(lease, BATCH))
                .chain(rows -> {
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        sends.add(send(row));
                    }
                    return sends.isEmpty() ? Uni.createFrom().item(0)
                            : Uni.join().all(sends).andCollectFailures().replaceWith(sends.size());
                })
                .chain(sent -> sent == BATCH ? sendDue() : Uni.createFrom().voidItem())
                .onFailure().invoke(e -> LOG.warnf("sending notifications failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> send(Row row) {
        long id = row.getLong("id");
        int attempt = row.getInteger("attempts");
        Instant at = Instant.now();
        Uni<Result> result = Uni.createFrom().deferred(() -> RunEndNotifier.EMAIL.equals(row.getString("channel"))
                ? mail(row.getString("payload"))
                : webhook(id, row.getString("url"), row.getString("secret"), row.getString("payload"),
                        row.getString("webhook_workspace") == null ? null
                                : SecretOwner.webhook(row.getString("webhook_workspace"), row.getUUID("webhook_id"))));
        return result.onFailure().recoverWithItem(e -> Result.retry(null, e.getClass().getSimpleName() + ": " + e.getMessage()))
                .chain(r -> record(id, attempt, at, r));
    }

    private Uni<Result> mail(String payload) {
        if (!config.mailEnabled()) {
            return Uni.createFrom().item(Result.refused(null, "mail is off on this jobplane: set"
                    + " jobplane.notifications.mail-enabled=true and the SMTP server (quarkus.mailer.*)"));
        }
        RunEndNotifier.MailMessage message = StoredJson.read(payload, RunEndNotifier.MailMessage.class);
        Mail mail = Mail.withText(message.to().get(0), message.subject(), message.text()).setTo(message.to());
        return mailer.send(mail).replaceWith(Result.delivered(null));
    }

    private Uni<Result> webhook(long id, String url, String sealedSecret, String body, SecretOwner owner) {
        String secret;
        try {
            if (owner == null) {
                throw new IllegalStateException("the webhook is gone");
            }
            secret = keyring.open(StoredJson.read(sealedSecret, SealedValue.class), owner, WebhookService.SECRET);
        } catch (RuntimeException e) {
            return Uni.createFrom().item(Result.refused(null, "cannot open the webhook's secret: " + e.getMessage()));
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpPost request = new HttpPost(URI.create(url));
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(config.webhookTimeout())).build());
        request.addHeader("User-Agent", "jobplane-webhooks");
        request.addHeader("X-Jobplane-Event", RunSummary.RUN_FINISHED);
        request.addHeader("X-Jobplane-Delivery", Long.toString(id));
        request.addHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        request.addHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body));
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return Uni.createFrom().item(() -> post(request)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Sends the POST and keeps the status code only: the receiver's body and headers are not read
     * into the delivery record (nor is a failure's text, beyond a code of jobplane's own).
     */
    private Result post(HttpPost request) {
        int code;
        try (ClassicHttpResponse response = http.executeOpen(null, request, null)) {
            code = response.getCode();
            request.cancel();
        } catch (Exception e) {
            ConnectionTester.Result failed = ConnectionTester.classify(e, Map.of());
            String why = failed.code() + ": " + failed.error();
            return EgressDeniedException.CODE.equals(failed.code()) ? Result.refused(null, why) : Result.retry(null, why);
        }
        if (code >= 200 && code < 300) {
            return Result.delivered(code);
        }
        String why = "HTTP " + code;
        return code == 408 || code == 425 || code == 429 || code >= 500 ? Result.retry(code, why) : Result.refused(code, why);
    }

    @PreDestroy
    void closeClient() throws java.io.IOException {
        http.close();
    }

    /** Records the try; a retryable failure is due again after the backoff, unless it was the last try. */
    private Uni<Void> record(long id, int attempt, Instant at, Result result) {
        String outcome = result.outcome;
        Instant next = null;
        if (outcome.equals("RETRY")) {
            if (attempt >= config.maxAttempts()) {
                outcome = "FAILED";
            } else {
                next = Instant.now().plus(backoff(attempt));
            }
        }
        String state = outcome.equals("RETRY") ? "PENDING" : outcome;
        if (!outcome.equals("DELIVERED")) {
            LOG.infof("notification %d, try %d: %s%s", id, attempt, result.error,
                    next == null ? "; given up" : "; trying again at " + next);
        }
        String error = result.error == null || result.error.length() <= MAX_ERROR ? result.error
                : result.error.substring(0, MAX_ERROR) + "…";
        return pool.preparedQuery(RECORD_SQL).execute(Tuple.from(new Object[] { id, attempt, at.atOffset(ZoneOffset.UTC),
                result.statusCode, error, outcome, next == null ? null : next.atOffset(ZoneOffset.UTC), state }))
                .replaceWithVoid();
    }

    /** {@code retry-initial}, doubling after each try, at most {@code retry-max}. */
    Duration backoff(int attempt) {
        Duration wait = config.retryInitial().multipliedBy(1L << Math.min(attempt - 1, 30));
        return wait.compareTo(config.retryMax()) > 0 || wait.isNegative() ? config.retryMax() : wait;
    }

    private record Result(String outcome, Integer statusCode, String error) {
        static Result delivered(Integer code) {
            return new Result("DELIVERED", code, null);
        }

        static Result retry(Integer code, String error) {
            return new Result("RETRY", code, error);
        }

        static Result refused(Integer code, String error) {
            return new Result("FAILED", code, error);
        }
    }
}
