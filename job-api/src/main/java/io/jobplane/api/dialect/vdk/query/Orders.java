package io.jobplane.api.dialect.vdk.query;

import java.util.Comparator;
import java.util.function.Function;

/** The orders of jobs_query's sorts: by one key, ascending or descending, missing values last either way. */
final class Orders {

    private Orders() {
    }

    static <S, T extends Comparable<? super T>> Comparator<S> by(Function<S, T> key, boolean descending) {
        return Comparator.comparing(key,
                Comparator.nullsLast(descending ? Comparator.<T>reverseOrder() : Comparator.<T>naturalOrder()));
    }

    /** True for {@code DESC}, false for {@code ASC} or no direction. */
    static boolean descending(Object direction) {
        return "DESC".equals(direction);
    }
}
