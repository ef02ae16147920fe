package io.jobplane.api.dialect.vdk.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.jobplane.api.dialect.vdk.VdkJobView.Execution;

/**
 * The executions an {@code executions(filter, order)} query selects, in its order. The
 * DataJobExecutionFilter keeps the executions whose status is in {@code statusIn}, whose job is in
 * {@code jobNameIn} and whose start and end times are within the given bounds (inclusive; an
 * execution without the time is dropped by a bound on it). The DataJobExecutionOrder orders by
 * startTime, endTime, status, type, id, jobName, jobVersion or startedBy, ascending unless DESC; with
 * no order the newest start comes first.
 */
final class ExecutionSelection {

    private static final Map<String, Function<Boolean, Comparator<Execution>>> ORDERS = Map.of(
            "startTime", descending -> Orders.by(Execution::startTime, descending),
            "endTime", descending -> Orders.by(Execution::endTime, descending),
            "status", descending -> Orders.by(Execution::status, descending),
            "type", descending -> Orders.by(Execution::type, descending),
            "id", descending -> Orders.by(Execution::id, descending),
            "jobName", descending -> Orders.by(Execution::jobName, descending),
            "jobVersion", descending -> Orders.by(Execution::jobVersion, descending),
            "startedBy", descending -> Orders.by(Execution::startedBy, descending));

    private static final Comparator<Execution> NEWEST_FIRST = Orders.by(Execution::startTime, true);

    private ExecutionSelection() {
    }

    /**
     * The executions the filter selects, ordered.
     *
     * @param filter the DataJobExecutionFilter argument as a map, or null
     * @param order the DataJobExecutionOrder argument as a map, or null
     * @throws QueryRefusal on an order by an unknown property
     */
    static List<Execution> select(Collection<Execution> executions, Map<String, Object> filter, Map<String, Object> order) {
        List<Execution> selected = new ArrayList<>(executions.stream().filter(keep(filter)).toList());
        selected.sort(comparator(order));
        return selected;
    }

    private static Predicate<Execution> keep(Map<String, Object> filter) {
        if (filter == null) {
            return e -> true;
        }
        Predicate<Execution> keep = e -> true;
        if (filter.get("statusIn") instanceof List<?> statuses) {
            keep = keep.and(e -> statuses.contains(VdkGraphModel.upper(e.status())));
        }
        if (filter.get("jobNameIn") instanceof List<?> names) {
            keep = keep.and(e -> names.contains(e.jobName()));
        }
        keep = keep.and(within(Execution::startTime, filter.get("startTimeGte"), filter.get("startTimeLte")));
        return keep.and(within(Execution::endTime, filter.get("endTimeGte"), filter.get("endTimeLte")));
    }

    private static Predicate<Execution> within(Function<Execution, Instant> time, Object gte, Object lte) {
        return e -> {
            Instant t = time.apply(e);
            if (gte instanceof Instant from && (t == null || t.isBefore(from))) {
                return false;
            }
            return !(lte instanceof Instant to && (t == null || t.isAfter(to)));
        };
    }

    private static Comparator<Execution> comparator(Map<String, Object> order) {
        if (order == null) {
            return NEWEST_FIRST;
        }
        Object property = order.get("property");
        Function<Boolean, Comparator<Execution>> by = property == null ? null : ORDERS.get(property);
        if (by == null) {
            throw new QueryRefusal("Provided order property " + property + " is either not valid or currently not "
                    + "supported; supported are " + String.join(", ", ORDERS.keySet().stream().sorted().toList()));
        }
        return by.apply(Orders.descending(order.get("direction")));
    }
}
