package io.jobplane.api.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Fires workflows: when every trigger job of a workflow has succeeded since it last fired, its
 * trigger state is cleared and a firing is recorded in one transaction, then its targets are
 * launched with the idempotency key {@code workflow:<workflow>:<firing>} — so a firing launches
 * each target once, even when it is launched again after a crash. Trigger successes are recorded
 * by the run supervisor in the same statement that ends the run (see {@code RunSupervisor}).
 * A sweep catches firings whose launch did not finish and workflows left ready.
 */
@ApplicationScoped
public class WorkflowEngine {

    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);
    private static final String LOCK = "select workspace from api.workflow where job_id = $1 for update";
    private static final String READY = """
            select (select count(*) from api.workflow_edge where workflow_id = $1 and role = 'TRIGGER') as triggers,
                   (select count(*) from api.workflow_trigger_state s
                      join api.workflow_edge e on e.workflow_id = s.workflow_id and e.job_id = s.trigger_job_id and e.role = 'TRIGGER'
                     where s.workflow_id = $1) as satisfied""";
    private static final String CLEAR = "delete from api.workflow_trigger_state where workflow_id = $1";
    private static final String BUMP = """
            update api.workflow set fire_count = fire_count + 1, last_fired_at = now() where job_id = $1 returning fire_count""";
    private static final String RECORD_FIRE = "insert into api.workflow_fire (workflow_id, seq, fired_at) values ($1, $2, now())";
    private static final String TARGETS = "select job_id from api.workflow_edge where workflow_id = $1 and role = 'TARGET' order by job_id";
    private static final String LAUNCHED = "update api.workflow_fire set launched_at = now(), outcome = $3 where workflow_id = $1 and seq = $2";
    private static final String PENDING = """
            select f.workflow_id, f.seq, w.workspace from api.workflow_fire f join api.workflow w on w.job_id = f.workflow_id
             where f.launched_at is null and f.fired_at < now() - interval '10 seconds' order by f.fired_at limit 100""";
    private static final String READY_WORKFLOWS = """
            select w.job_id from api.workflow w
             where exists (select 1 from api.workflow_edge e where e.workflow_id = w.job_id and e.role = 'TRIGGER')
               and not exists (select 1 from api.workflow_edge e where e.workflow_id = w.job_id and e.role = 'TRIGGER'
                                 and not exists (select 1 from api.workflow_trigger_state s
                                                  where s.workflow_id = w.job_id and s.trigger_job_id = e.job_id))
             limit 100""";

    private final Pool pool;
    private final LaunchPipeline runs;

    public WorkflowEngine(Pool pool, LaunchPipeline runs) {
        this.pool = pool;
        this.runs = runs;
    }

    /** Fires each of these workflows whose triggers have all succeeded since it last fired. */
    public Uni<Void> fireIfReady(List<UUID> workflows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID workflow : workflows) {
            chain = chain.chain(() -> fire(workflow));
        }
        return chain;
    }

    private Uni<Void> fire(UUID workflow) {
        return pool.withTransaction(c -> c.preparedQuery(LOCK).execute(Tuple.of(workflow)).chain(locked -> {
            if (locked.size() == 0) {
                return Uni.createFrom().<Firing>nullItem();
            }
            String workspace = locked.iterator().next().getString("workspace");
            return c.preparedQuery(READY).execute(Tuple.of(workflow)).chain(counts -> {
                Row n = counts.iterator().next();
                long triggers = n.getLong("triggers");
                if (triggers == 0 || n.getLong("satisfied") < triggers) {
                    return Uni.createFrom().<Firing>nullItem();
                }
                return record(c, workflow).map(seq -> new Firing(workflow, seq, workspace));
            });
        })).chain(firing -> firing == null ? Uni.createFrom().voidItem() : launch(firing));
    }

    private static Uni<Integer> record(SqlConnection c, UUID workflow) {
        return c.preparedQuery(CLEAR).execute(Tuple.of(workflow))
                .chain(() -> c.preparedQuery(BUMP).execute(Tuple.of(workflow)))
                .map(rows -> rows.iterator().next().getInteger("fire_count"))
                .call(seq -> c.preparedQuery(RECORD_FIRE).execute(Tuple.of(workflow, seq)));
    }

    private record Firing(UUID workflow, int seq, String workspace) {
    }

    /** Launches the firing's targets (once each, whatever happens) and records how that went. */
    private Uni<Void> launch(Firing firing) {
        Caller caller = new Caller("workflow " + firing.workflow(), firing.workspace(), Role.OPERATOR);
        String key = "workflow:" + firing.workflow() + ":" + firing.seq();
        List<String> outcome = new ArrayList<>();
        return pool.preparedQuery(TARGETS).execute(Tuple.of(firing.workflow())).chain(rows -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row r : rows) {
                UUID target = r.getUUID("job_id");
                chain = chain.chain(() -> runs.launch(caller, target, key, null, RunOrigin.WORKFLOW)
                        .invoke(result -> outcome.add(target + ": run " + result.runId()))
                        .onFailure(ApiException.class).recoverWithItem(e -> {
                            // A target that cannot run now (disabled, no tasks…) does not keep the others from running.
                            outcome.add(target + ": " + e.getMessage());
                            LOG.warnf("workflow %s firing %d: target %s not launched: %s", firing.workflow(), firing.seq(), target,
                                    e.getMessage());
                            return null;
                        })
                        .replaceWithVoid());
            }
            return chain;
        }).chain(() -> pool.preparedQuery(LAUNCHED).execute(Tuple.of(firing.workflow(), firing.seq(), String.join("; ", outcome))))
                .invoke(() -> LOG.infof("workflow %s fired (%d): %s", firing.workflow(), firing.seq(), outcome))
                .replaceWithVoid();
    }

    /** Firings whose launch did not finish (a crash, an outage) and workflows left ready are completed. */
    @Scheduled(every = "${jobplane.workflows.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return pool.preparedQuery(PENDING).execute().chain(rows -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row r : rows) {
                Firing f = new Firing(r.getUUID("workflow_id"), r.getInteger("seq"), r.getString("workspace"));
                chain = chain.chain(() -> launch(f));
            }
            return chain;
        }).chain(() -> pool.preparedQuery(READY_WORKFLOWS).execute())
                .chain(rows -> {
                    List<UUID> ready = new ArrayList<>();
                    rows.forEach(r -> ready.add(r.getUUID("job_id")));
                    return fireIfReady(ready);
                })
                .onFailure().invoke(e -> LOG.warnf("workflow sweep: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
