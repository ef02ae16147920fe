package io.jobplane.worker.executor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.sql.FileCopyStatement;
import io.jobplane.events.sql.SqlTemplate;
import io.jobplane.events.files.FileRoots;
import io.jobplane.worker.config.FilesConfig;
import io.jobplane.worker.files.BaseDirectory;
import io.jobplane.worker.files.FileCopy;
import io.jobplane.worker.files.FileTaskException;

/**
 * Runs file copies ({@code STORAGE_TO_STORAGE}): each task is a {@code COPY 'from' TO 'to'}
 * statement carried out by {@link FileCopy} from the source {@code filesystem} connection's base
 * path to the destination's. Tasks run in order or {@code worker_pool} at a time; a cancel stops a
 * copy within one buffer and removes its temporary file. {@code rows_affected} counts files copied.
 */
@ApplicationScoped
public class FileCopyJobExecutor implements JobExecutor {

    private final FileRoots roots;

    public FileCopyJobExecutor(FilesConfig files) {
        this.roots = files.fileRoots();
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("STORAGE_TO_STORAGE");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        List<TaskSpec> tasks = new ArrayList<>(run.tasks());
        tasks.sort(Comparator.comparingInt(TaskSpec::index));
        BaseDirectory source;
        BaseDirectory destination;
        try {
            source = BaseDirectory.open("source", run.source(), roots);
            destination = BaseDirectory.open("destination", run.destination(), roots);
        } catch (FileTaskException e) {
            return TaskSequence.unavailable(run, control, tasks, e.code() != null ? e.code() : "CONNECTION_UNAVAILABLE", e.getMessage());
        }
        Map<String, Object> values = SqlTemplate.values(run.executionDate(), run.parameters());
        TaskSequence sequence = new TaskSequence(run, control);
        TaskSequence.each(run, tasks, task -> {
            sequence.run(task, FileCopyStatement::parse,
                    statement -> () -> once(run, control, task, statement, source, destination, values));
        });
        return sequence.outcome();
    }

    private static TaskResult once(LaunchCommand run, RunControl control, TaskSpec task, FileCopyStatement statement,
            BaseDirectory source, BaseDirectory destination, Map<String, Object> values) {
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the task started");
        }
        FileCopy copy = new FileCopy(source, destination, control.listener(task));
        try {
            FileCopy.Result result = copy.copy(statement, values);
            control.progress(task, result.copied() + " files copied (" + result.bytes() + " bytes), " + result.identical()
                    + " already there" + (result.kept() > 0 ? ", " + result.kept() + " kept (IfExists='SKIP')" : ""));
            return TaskResult.success((long) result.copied());
        } catch (FileTaskException.Cancelled e) {
            return TaskResult.stopped(e.getMessage());
        } catch (FileTaskException e) {
            return e.retryable() ? TaskResult.failed(e.getMessage()) : TaskResult.invalid(e.getMessage());
        }
    }
}
