package io.jobplane.api.dialect.vdk.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a list as VDK pages it: pages count from 1, {@code totalPages} is
 * ceil(totalItems / pageSize).
 */
record Paging(int pageNumber, int pageSize) {

    /** Pages larger than this are refused, VDK's CLI asks for 100 at a time. */
    static final int MAX_PAGE_SIZE = 100;

    /** Checks VDK's page arguments: a missing one counts as 0 and is refused like any number below 1. */
    static Paging of(Integer pageNumber, Integer pageSize) {
        int size = pageSize == null ? 0 : pageSize;
        int number = pageNumber == null ? 0 : pageNumber;
        if (size < 1) {
            throw new QueryRefusal("Page size cannot be less than 1");
        }
        if (size > MAX_PAGE_SIZE) {
            throw new QueryRefusal("Page size cannot be more than " + MAX_PAGE_SIZE);
        }
        if (number < 1) {
            throw new QueryRefusal("Page cannot be less than 1");
        }
        return new Paging(number, size);
    }

    /** The items of this page. */
    <T> List<T> slice(List<T> all) {
        long from = (long) (pageNumber - 1) * pageSize;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
    }

    /** VDK's page object ({@code content}, {@code totalItems}, {@code totalPages}) of this page of {@code all}. */
    <T> Map<String, Object> page(List<T> all, Function<T, Map<String, Object>> shape) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("content", slice(all).stream().map(shape).toList());
        page.put("totalItems", all.size());
        page.put("totalPages", (all.size() + pageSize - 1) / pageSize);
        return page;
    }
}
