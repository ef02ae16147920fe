package io.jobplane.worker.catalog.discovery;

import java.util.List;

/**
 * What a discovery run did. Every file met is counted once in exactly one of {@code filesRead},
 * {@code filesSkipped}, {@code filesNotSampled} and {@code filesUnchanged}, which add up to
 * {@code filesSeen}.
 *
 * @param filesSeen files and links met in the walk
 * @param filesRead files whose schema went into an emitted table (or was read for one, see {@code filesSkipped})
 * @param filesSkipped files not taken: leftovers, empty files, links, files of no or another format, unreadable
 *        files, files outside a table or its partition layout, files of a table not emitted
 * @param filesNotSampled data files left unread by {@code file_sample_rate}
 * @param filesUnchanged data files an incremental run did not read because they did not change since its last scan
 * @param tables tables emitted
 * @param partitions partitions emitted
 * @param bytesRead bytes the run's reads asked for (footers, headers, samples)
 * @param warnings the warnings, at most {@link Limits#maxWarnings()}
 * @param warningsDropped warnings past that bound, only counted
 * @param tableNames the tables the data location holds: the ones emitted, and in an incremental run the ones whose
 *        files did not change since the last scan (what a discovery's {@code principals} are granted on)
 */
public record DiscoveryReport(long filesSeen, long filesRead, long filesSkipped, long filesNotSampled, long filesUnchanged,
        int tables, long partitions, long bytesRead, List<String> warnings, long warningsDropped, List<String> tableNames) {
}
