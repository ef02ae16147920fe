package io.jobplane.api.dialect.vdk.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.jobplane.api.dialect.vdk.VdkJobView;
import io.jobplane.api.dialect.vdk.VdkJobView.Deployment;

/**
 * The jobs a {@code jobs(filter, search)} query selects, in its order. Each {@code Predicate} names a
 * property and keeps the jobs whose value contains its {@code pattern} ignoring case (no pattern: all
 * jobs); predicates with a {@code sort} order the jobs by their properties, in the order given, and
 * job name ascending breaks ties (it is the whole order when nothing is sorted). {@code search} then
 * keeps the jobs whose name, team or description contains it ignoring case.
 */
final class JobSelection {

    private static final String ENABLED = "deployments.enabled";

    /** The filterable properties: VDK's paths, and {@code team} for config.team. */
    private static final Map<String, Function<VdkJobView, String>> PROPERTIES = Map.ofEntries(
            Map.entry("jobName", VdkJobView::jobName),
            Map.entry("config.team", VdkJobView::team),
            Map.entry("team", VdkJobView::team),
            Map.entry("config.description", VdkJobView::description),
            Map.entry("config.schedule.scheduleCron", VdkGraphModel::scheduleCron),
            // Not kept for a job here, so a pattern on it matches no job.
            Map.entry("config.sourceUrl", view -> null),
            Map.entry(ENABLED, deployed(d -> d.enabled() ? "enabled" : "disabled")),
            Map.entry("deployments.lastExecutionStatus", deployed(d -> VdkGraphModel.upper(d.lastExecutionStatus()))),
            Map.entry("deployments.lastDeployedBy", deployed(Deployment::deployedBy)),
            Map.entry("deployments.lastDeployedDate", deployed(d -> VdkGraphModel.iso(d.deployedDate()))),
            Map.entry("deployments.lastExecutionTime", deployed(d -> VdkGraphModel.iso(d.lastExecutionTime()))));

    private static final Comparator<VdkJobView> BY_NAME = Orders.by(VdkJobView::jobName, false);

    private JobSelection() {
    }

    /**
     * The jobs the predicates and the search select, ordered.
     *
     * @param filter the {@code filter} argument: Predicate objects as maps (property, pattern, sort), or null
     * @throws QueryRefusal for a predicate without property, without pattern and sort, or on an unsupported property
     */
    static List<VdkJobView> select(List<VdkJobView> jobs, List<Map<String, Object>> filter, String search) {
        Predicate<VdkJobView> keep = job -> true;
        Comparator<VdkJobView> order = null;
        for (Map<String, Object> predicate : filter == null ? List.<Map<String, Object>>of() : filter) {
            if (predicate == null || predicate.isEmpty()) {
                continue;
            }
            String property = (String) predicate.get("property");
            String pattern = (String) predicate.get("pattern");
            Object sort = predicate.get("sort");
            Function<VdkJobView, String> value = property == null ? null : PROPERTIES.get(property);
            if (value == null || (pattern == null && sort == null)) {
                throw new QueryRefusal("Provided filter for " + property + " is either not valid or currently not supported");
            }
            if (pattern != null) {
                keep = keep.and(matching(property, value, pattern));
            }
            if (sort != null) {
                Comparator<VdkJobView> by = Orders.by(value.andThen(JobSelection::lower), Orders.descending(sort));
                order = order == null ? by : order.thenComparing(by);
            }
        }
        if (search != null && !search.isBlank()) {
            keep = keep.and(job -> contains(job.jobName(), search) || contains(job.team(), search)
                    || contains(job.description(), search));
        }
        List<VdkJobView> selected = new ArrayList<>(jobs.stream().filter(keep).toList());
        selected.sort(order == null ? BY_NAME : order.thenComparing(BY_NAME));
        return selected;
    }

    private static Predicate<VdkJobView> matching(String property, Function<VdkJobView, String> value, String pattern) {
        if (ENABLED.equals(property)) {
            String wanted = switch (pattern.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> "enabled";
                case "false" -> "disabled";
                default -> pattern.trim();
            };
            return job -> wanted.equalsIgnoreCase(value.apply(job));
        }
        return job -> contains(value.apply(job), pattern);
    }

    private static Function<VdkJobView, String> deployed(Function<Deployment, String> value) {
        return job -> job.deployment() == null ? null : value.apply(job.deployment());
    }

    private static boolean contains(String value, String part) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
