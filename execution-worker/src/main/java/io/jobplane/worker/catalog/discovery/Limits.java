package io.jobplane.worker.catalog.discovery;

/**
 * Bounds of one discovery run against hostile or runaway folder trees (docs/catalog/discovery.md,
 * "Bounds"). Those marked <em>fails</em> end the run with a {@link DiscoveryException} of the code
 * named; the others skip the file or folder with a warning.
 *
 * @param maxFiles files (and links) met in the walk; more fails ({@code FILES_LIMIT})
 * @param maxDirectories folders met in the walk; more fails ({@code DIRECTORIES_LIMIT})
 * @param maxDepth folder levels below the data location walked; deeper folders are skipped
 * @param maxTables tables found; more fails ({@code TABLES_LIMIT})
 * @param maxColumns columns of a file or table, nested struct fields counted; a file over it is skipped
 * @param maxTypeDepth levels a column's type nests ({@code array<struct<…>>} is 2); a file deeper is skipped
 * @param maxSampleLines CSV/JSON records read from one file (its sample); the rest is not read
 * @param maxLineLength characters of one CSV/JSON record; a file with a longer one is skipped
 * @param maxSampleBytes bytes read from one CSV/JSON file (decompressed, for {@code .gz}) at most
 * @param maxFooterBytes bytes of a Parquet or ORC footer or an Avro header; a file claiming more is skipped
 * @param maxBytesRead bytes all reads of the run ask for together; more fails ({@code BYTES_LIMIT})
 * @param maxWarnings warnings kept in the report and sent to the run log; later ones are only counted
 */
public record Limits(long maxFiles, long maxDirectories, int maxDepth, int maxTables, int maxColumns, int maxTypeDepth,
        int maxSampleLines, int maxLineLength, int maxSampleBytes, int maxFooterBytes, long maxBytesRead, int maxWarnings) {

    public static final Limits DEFAULTS = new Limits(1_000_000, 200_000, 100, 10_000, 10_000, 32, 1_000, 1 << 20, 8 << 20,
            16 << 20, 8L << 30, 1_000);

    public Limits {
        if (maxFiles < 1 || maxDirectories < 1 || maxDepth < 0 || maxTables < 1 || maxColumns < 1 || maxTypeDepth < 1
                || maxSampleLines < 1 || maxLineLength < 1 || maxSampleBytes < 1 || maxFooterBytes < 64 || maxBytesRead < 1
                || maxWarnings < 0) {
            throw new IllegalArgumentException("discovery limits must be positive");
        }
    }

    public Limits withMaxFiles(long files) {
        return new Limits(files, maxDirectories, maxDepth, maxTables, maxColumns, maxTypeDepth, maxSampleLines, maxLineLength,
                maxSampleBytes, maxFooterBytes, maxBytesRead, maxWarnings);
    }

    public Limits withMaxFooterBytes(int bytes) {
        return new Limits(maxFiles, maxDirectories, maxDepth, maxTables, maxColumns, maxTypeDepth, maxSampleLines, maxLineLength,
                maxSampleBytes, bytes, maxBytesRead, maxWarnings);
    }

    public Limits withMaxTypeDepth(int depth) {
        return new Limits(maxFiles, maxDirectories, maxDepth, maxTables, maxColumns, depth, maxSampleLines, maxLineLength,
                maxSampleBytes, maxFooterBytes, maxBytesRead, maxWarnings);
    }

    public Limits withMaxBytesRead(long bytes) {
        return new Limits(maxFiles, maxDirectories, maxDepth, maxTables, maxColumns, maxTypeDepth, maxSampleLines, maxLineLength,
                maxSampleBytes, maxFooterBytes, bytes, maxWarnings);
    }

    public Limits withMaxDepth(int depth) {
        return new Limits(maxFiles, maxDirectories, depth, maxTables, maxColumns, maxTypeDepth, maxSampleLines, maxLineLength,
                maxSampleBytes, maxFooterBytes, maxBytesRead, maxWarnings);
    }

    public Limits withMaxTables(int tables) {
        return new Limits(maxFiles, maxDirectories, maxDepth, tables, maxColumns, maxTypeDepth, maxSampleLines, maxLineLength,
                maxSampleBytes, maxFooterBytes, maxBytesRead, maxWarnings);
    }
}
