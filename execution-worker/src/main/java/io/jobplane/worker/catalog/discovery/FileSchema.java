package io.jobplane.worker.catalog.discovery;

import java.util.List;

import io.jobplane.events.payload.catalog.CatalogChange;

/**
 * The schema read from one file: its format, columns (types in Hive's syntax; {@code void} where a
 * text file held only nulls), rows when the file tells them (Parquet and ORC footers, a text file
 * read to its end) and what could not be mapped exactly.
 */
record FileSchema(FileFormat format, List<CatalogChange.Column> columns, Long rows, List<String> warnings) {
}
