package io.jobplane.worker.catalog.discovery;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * LakeFormation-style metadata discovery of a folder tree of data files (docs/catalog/discovery.md):
 * walks the tree once, through folders opened one by one without following links, reads the schema
 * of a sample of each folder's files from their footers or headers (or a bounded sample of lines
 * for CSV and JSON), merges each table's file schemas with {@link CatalogTypes#mergeColumns}, and
 * emits to the sink one {@link CatalogChange.Database}, then for each table found its
 * {@link CatalogChange.Table} and its {@link CatalogChange.Partitions} in batches. It does not call
 * {@link CatalogSink#complete}: the caller does, once the run succeeded. Runs on the calling thread;
 * an interrupt stops it between two files with {@link InterruptedException}.
 */
public final class FileDiscovery {

    /** Warnings a table's event carries at most. */
    static final int MAX_TABLE_WARNINGS = 100;
    /** Distinct warnings a table remembers to say each once; past that, repeats are said again. */
    private static final int MAX_SEEN_WARNINGS = 10_000;

    private final DiscoveryOptions options;

    public FileDiscovery(DiscoveryOptions options) {
        this.options = options;
    }

    /**
     * Discovers the tables under {@code dataLocation}, a real directory the caller has checked, shown
     * in locations and messages as {@code locationUri} (e.g. {@code fs://landing/sales}). Warnings
     * (unreadable files, conflicts, skipped folders) go to {@code runLog} as they arise, at most
     * {@link Limits#maxWarnings()}, and a summary line at the end.
     *
     * @throws DiscoveryException when the tree breaks a bound that fails the run (its code says which)
     * @throws IOException when the data location itself cannot be listed
     * @throws InterruptedException when the thread was interrupted (a cancel)
     */
    public DiscoveryReport run(Path dataLocation, String locationUri, CatalogChange.Origin origin, CatalogSink sink,
            Consumer<String> runLog) throws IOException, InterruptedException, DiscoveryException {
        Run run = new Run(options, stripSlash(locationUri), origin, sink, runLog);
        return run.execute(dataLocation);
    }

    private static String stripSlash(String uri) {
        String s = uri;
        while (s.endsWith("/") && !s.endsWith("//")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** A file or folder as listed: its name and attributes, links not followed. */
    private record Entry(Path name, BasicFileAttributes attributes) {
        String text() {
            return name.toString();
        }
    }

    /** One run's state. */
    private static final class Run {
        private final DiscoveryOptions options;
        private final Limits limits;
        private final String locationUri;
        private final CatalogChange.Origin origin;
        private final CatalogSink sink;
        private final Consumer<String> runLog;
        private final FileInput.Budget budget;
        private final CsvSchemas csv;
        private final JsonSchemas json;
        private final List<String> warnings = new ArrayList<>();
        private final Map<String, String> tableNames = new HashMap<>();
        /** The tables the data location holds: emitted now, or (incremental) unchanged since the last scan. */
        private final List<String> present = new ArrayList<>();
        private long warningsDropped;
        private long filesSeen;
        private long directoriesSeen;
        private long filesRead;
        private long filesSkipped;
        private long filesNotSampled;
        private long filesUnchanged;
        private int tablesStarted;
        private int tables;
        private long partitions;

        Run(DiscoveryOptions options, String locationUri, CatalogChange.Origin origin, CatalogSink sink, Consumer<String> runLog) {
            this.options = options;
            this.limits = options.limits();
            this.locationUri = locationUri;
            this.origin = origin;
            this.sink = sink;
            this.runLog = runLog;
            this.budget = new FileInput.Budget(limits.maxBytesRead());
            this.csv = new CsvSchemas(options.csv(), limits);
            this.json = new JsonSchemas(limits);
        }

        DiscoveryReport execute(Path dataLocation) throws IOException, InterruptedException, DiscoveryException {
            sink.database(new CatalogChange.Database(origin, options.conflict(), options.catalog(), options.database(), null, null,
                    options.owner(), Map.of()));
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dataLocation)) {
                if (!(stream instanceof SecureDirectoryStream<Path> root)) {
                    throw new DiscoveryException(DiscoveryException.Code.UNSUPPORTED_PLATFORM,
                            "this platform cannot open folders without following links; discovery refuses to walk it");
                }
                Table table = null;
                if (options.tableDepth() == 0) {
                    table = startTable(rootName(dataLocation), List.of());
                }
                walk(root, List.of(), table);
                if (table != null) {
                    finish(table);
                }
            } catch (FileInput.Exceeded e) {
                throw new DiscoveryException(DiscoveryException.Code.BYTES_LIMIT, e.getMessage());
            }
            String summary = "discovered " + tables + " tables and " + partitions + " partitions under " + locationUri + ": "
                    + filesSeen + " files seen, " + filesRead + " read, " + filesSkipped + " skipped, " + filesNotSampled
                    + " not sampled, " + filesUnchanged + " unchanged" + (warningsDropped > 0 ? "; " + warningsDropped
                            + " more warnings not shown" : "");
            runLog.accept(summary);
            return new DiscoveryReport(filesSeen, filesRead, filesSkipped, filesNotSampled, filesUnchanged, tables, partitions,
                    budget.used(), List.copyOf(warnings), warningsDropped, List.copyOf(present));
        }

        private String rootName(Path dataLocation) {
            int slash = locationUri.lastIndexOf('/');
            String last = slash >= 0 ? locationUri.substring(slash + 1) : locationUri;
            if (last.isEmpty() || last.endsWith(":")) {
                Path name = dataLocation.getFileName();
                last = name == null ? "root" : name.toString();
            }
            return last;
        }

        // ---- the walk -------------------------------------------------------------------

        private void walk(SecureDirectoryStream<Path> dir, List<String> segments, Table table)
                throws IOException, InterruptedException, DiscoveryException {
            List<Entry> files = new ArrayList<>();
            List<Entry> folders = new ArrayList<>();
            try {
                list(dir, segments, table, files, folders);
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
            files.sort(Comparator.comparing(Entry::text));
            folders.sort(Comparator.comparing(Entry::text));
            if (!files.isEmpty()) {
                files(dir, segments, table, files);
                files.clear();
            }
            for (Entry folder : folders) {
                checkInterrupt();
                List<String> below = new ArrayList<>(segments);
                below.add(folder.text());
                if (below.size() > limits.maxDepth()) {
                    warn(table, "folder '" + String.join("/", below) + "' is deeper than " + limits.maxDepth() + " levels: skipped");
                    continue;
                }
                Table inner = table;
                boolean starts = table == null && below.size() == options.tableDepth();
                if (starts) {
                    inner = startTable(folder.text(), below);
                    if (inner == null) {
                        continue;
                    }
                }
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(folder.name(), LinkOption.NOFOLLOW_LINKS)) {
                    walk(sub, below, inner);
                } catch (IOException e) {
                    warn(inner, "folder '" + String.join("/", below) + "' cannot be read (" + describe(e) + "): skipped");
                }
                if (starts) {
                    finish(inner);
                }
            }
        }

        /** Lists a folder's entries (links not followed) into its files and folders, counting them against the bounds. */
        private void list(SecureDirectoryStream<Path> dir, List<String> segments, Table table, List<Entry> files, List<Entry> folders)
                throws InterruptedException, DiscoveryException {
            for (Path path : dir) {
                checkInterrupt();
                Path name = path.getFileName();
                BasicFileAttributes attributes;
                try {
                    attributes = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                } catch (IOException e) {
                    continue; // gone since it was listed
                }
                Entry entry = new Entry(name, attributes);
                if (attributes.isDirectory()) {
                    if (++directoriesSeen > limits.maxDirectories()) {
                        throw new DiscoveryException(DiscoveryException.Code.DIRECTORIES_LIMIT, "the data location holds more than "
                                + limits.maxDirectories() + " folders (the discovery's bound); point it at a smaller tree");
                    }
                    if (!leftover(entry.text())) {
                        folders.add(entry);
                    }
                    continue;
                }
                if (++filesSeen > limits.maxFiles()) {
                    throw new DiscoveryException(DiscoveryException.Code.FILES_LIMIT, "the data location holds more than "
                            + limits.maxFiles() + " files (the discovery's bound); point it at a smaller tree");
                }
                if (attributes.isSymbolicLink()) {
                    filesSkipped++;
                    warn(table, "'" + relative(segments, entry.text()) + "' is a symbolic link: not followed, skipped");
                } else if (!attributes.isRegularFile()) {
                    filesSkipped++;
                    warn(table, "'" + relative(segments, entry.text()) + "' is not a regular file: skipped");
                } else {
                    files.add(entry);
                }
            }
        }

        /** Hadoop's, Spark's and editors' leftovers: {@code _SUCCESS}, {@code _temporary/}, {@code .x.crc}, {@code ._x}. */
        private static boolean leftover(String name) {
            return name.startsWith("_") || name.startsWith(".");
        }

        private void checkInterrupt() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("discovery cancelled");
            }
        }

        /** The files of one folder: those of a table's partition are sampled and read, others skipped. */
        private void files(SecureDirectoryStream<Path> dir, List<String> segments, Table table, List<Entry> files)
                throws IOException, InterruptedException, DiscoveryException {
            List<Entry> data = new ArrayList<>();
            for (Entry file : files) {
                if (leftover(file.text()) || file.attributes().size() == 0) {
                    filesSkipped++;
                } else {
                    data.add(file);
                }
            }
            if (data.isEmpty()) {
                return;
            }
            String folder = segments.isEmpty() ? "." : String.join("/", segments);
            if (table == null) {
                filesSkipped += data.size();
                warn(null, data.size() + " files in '" + folder + "' lie above the tables (table_depth " + options.tableDepth()
                        + "): skipped");
                return;
            }
            List<String> below = segments.subList(table.segments.size(), segments.size());
            List<String> keys = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (String segment : below) {
                int eq = segment.indexOf('=');
                if (eq <= 0 || eq == segment.length() - 1) {
                    filesSkipped += data.size();
                    warn(table, data.size() + " files in '" + folder + "', a folder that is no partition (key=value) of the table: skipped");
                    return;
                }
                keys.add(unescape(segment.substring(0, eq)));
                values.add(unescape(segment.substring(eq + 1)));
            }
            Layout layout = table.layout(keys);
            Partition partition = layout.partition(values, locationUri + "/" + String.join("/", segments));
            List<Entry> readable = new ArrayList<>();
            for (Entry file : data) {
                partition.files++;
                partition.bytes += file.attributes().size();
                layout.files++;
                layout.bytes += file.attributes().size();
                FileFormat format = FileFormat.byExtension(file.text());
                if (format != null && !options.formats().contains(format)) {
                    layout.skipped++;
                    continue;
                }
                if (options.incremental() && !file.attributes().lastModifiedTime().toInstant().isAfter(options.changedSince())) {
                    layout.unchanged++;
                    continue;
                }
                partition.changed = true;
                layout.changed = true;
                readable.add(file);
            }
            // newest first, then by name: the sample is the same for the same folder
            readable.sort(Comparator.comparing((Entry e) -> e.attributes().lastModifiedTime()).reversed().thenComparing(Entry::text));
            int quota = options.sampleRatePercent() >= 100 ? readable.size()
                    : Math.max(1, (int) Math.ceil(readable.size() * options.sampleRatePercent() / 100.0));
            int read = 0;
            for (Entry file : readable) {
                if (read >= quota) {
                    layout.notSampled++;
                    continue;
                }
                checkInterrupt();
                FileSchema schema = read(dir, file, relative(segments, file.text()), table);
                if (schema == null) {
                    layout.skipped++;
                    continue;
                }
                read++;
                layout.add(schema, partition, relative(segments, file.text()), this);
            }
        }

        /** One file's schema, or null (with a warning, or counted as of no known format) when it cannot be had. */
        private FileSchema read(SecureDirectoryStream<Path> dir, Entry file, String shown, Table table)
                throws IOException, DiscoveryException {
            FileFormat format = FileFormat.byExtension(file.text());
            try (SeekableByteChannel channel = dir.newByteChannel(file.name(), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                FileInput input = new FileInput(channel, channel.size(), shown, budget);
                if (format == null) {
                    int n = (int) Math.min(4, input.size);
                    format = FileFormat.byMagic(input.read(0, n), n);
                    if (format == null) {
                        table.unknownFormat++;
                        return null;
                    }
                    if (!options.formats().contains(format)) {
                        return null;
                    }
                }
                return switch (format) {
                    case PARQUET -> ParquetSchemas.read(input, limits);
                    case ORC -> OrcSchemas.read(input, limits);
                    case AVRO -> AvroSchemas.read(input, limits);
                    case CSV -> csv.read(input, FileFormat.gzipped(file.text()));
                    case JSON -> json.read(input, FileFormat.gzipped(file.text()));
                };
            } catch (UnreadableFileException e) {
                warn(table, "'" + shown + "' " + e.getMessage() + ": skipped");
            } catch (FileInput.Exceeded e) {
                throw new DiscoveryException(DiscoveryException.Code.BYTES_LIMIT, e.getMessage());
            } catch (IOException | RuntimeException | StackOverflowError | LinkageError e) {
                warn(table, "'" + shown + "' cannot be read as " + (format == null ? "data" : format.name()) + " (" + describe(e)
                        + "): skipped");
            }
            return null;
        }

        // ---- tables -------------------------------------------------------------------------

        private Table startTable(String name, List<String> segments) throws DiscoveryException {
            String key = name.toLowerCase(Locale.ROOT);
            String shown = segments.isEmpty() ? "." : String.join("/", segments);
            String other = tableNames.get(key);
            if (other != null) {
                warn(null, "folder '" + shown + "' would be table '" + name + "', which folder '" + other + "' already is: skipped");
                return null;
            }
            if (++tablesStarted > limits.maxTables()) {
                throw new DiscoveryException(DiscoveryException.Code.TABLES_LIMIT, "the data location holds more than "
                        + limits.maxTables() + " tables (the discovery's bound); point it at a smaller tree or a deeper table_depth");
            }
            tableNames.put(key, shown);
            Table table = new Table(name, segments, locationUri + (segments.isEmpty() ? "" : "/" + String.join("/", segments)));
            if (!segments.isEmpty() && name.indexOf('=') > 0) {
                warn(table, "the table's folder '" + name + "' looks like a partition (key=value): is table_depth "
                        + options.tableDepth() + " one level too deep?");
            }
            return table;
        }

        /** A table's walk is done: picks its layout and format, counts its files, emits it and its partitions. */
        private void finish(Table table) {
            if (table.layouts.isEmpty()) {
                if (!options.incremental()) {
                    warn(table, "the folder holds no data files: no table");
                }
                return;
            }
            Layout winner = null;
            for (Layout layout : table.layouts.values()) {
                if (winner == null || layout.files > winner.files) {
                    winner = layout;
                }
            }
            for (Layout layout : table.layouts.values()) {
                if (layout != winner) {
                    filesSkipped += layout.files;
                    warn(table, layout.files + " files in folders partitioned by " + describeKeys(layout.keys) + " where most are by "
                            + describeKeys(winner.keys) + ": skipped");
                }
            }
            if (table.unknownFormat > 0) {
                warn(table, table.unknownFormat + " files of no format discovery reads (by extension or magic bytes): skipped");
            }
            FileFormat format = null;
            for (Map.Entry<FileFormat, Formatted> entry : winner.formats.entrySet()) {
                if (format == null || entry.getValue().filesRead > winner.formats.get(format).filesRead) {
                    format = entry.getKey();
                }
            }
            filesNotSampled += winner.notSampled;
            filesUnchanged += winner.unchanged;
            filesSkipped += winner.skipped;
            if (format == null) {
                if (winner.changed || !options.incremental()) {
                    warn(table, "none of its files could be read: not emitted");
                } else {
                    present.add(table.name);
                }
                return;
            }
            present.add(table.name);
            for (Map.Entry<FileFormat, Formatted> entry : winner.formats.entrySet()) {
                if (entry.getKey() != format) {
                    filesSkipped += entry.getValue().filesRead;
                    warn(table, entry.getValue().filesRead + " " + entry.getKey() + " files among its " + format + " files: skipped");
                }
            }
            Formatted chosen = winner.formats.get(format);
            filesRead += chosen.filesRead;
            for (String warning : chosen.warnings) {
                warn(table, warning);
            }
            // partition keys, typed by all their values
            List<CatalogChange.Column> partitionKeys = new ArrayList<>();
            for (int i = 0; i < winner.keys.size(); i++) {
                CatalogTypes.Type type = null;
                for (Partition partition : winner.partitions.values()) {
                    type = TextValues.widen(type, TextValues.partitionValue(partition.values.get(i)));
                }
                type = type == null || type.equals(TypeBudget.VOID) ? TypeBudget.STRING : type;
                partitionKeys.add(new CatalogChange.Column(winner.keys.get(i), type.toString(), null));
            }
            Set<String> keyNames = new LinkedHashSet<>();
            for (String key : winner.keys) {
                keyNames.add(key.toLowerCase(Locale.ROOT));
            }
            List<CatalogChange.Column> columns = new ArrayList<>();
            for (CatalogChange.Column column : chosen.columns) {
                if (keyNames.contains(column.name().toLowerCase(Locale.ROOT))) {
                    warn(table, "column '" + column.name() + "' is also a partition key: the partition key is kept");
                    continue;
                }
                columns.add(new CatalogChange.Column(column.name(),
                        TypeBudget.voidAsString(CatalogTypes.parse(column.type())).toString(), column.comment()));
            }
            Long rows = 0L;
            for (Partition partition : winner.partitions.values()) {
                Long partitionRows = partition.rows(format);
                rows = rows == null || partitionRows == null ? null : rows + partitionRows;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("classification", format.classification());
            parameters.put("EXTERNAL", "TRUE");
            String serde = format.serde();
            Map<String, String> serdeParameters = new LinkedHashMap<>();
            if (format == FileFormat.CSV) {
                serde = options.csv().serde();
                serdeParameters.putAll(options.csv().serdeParameters());
                parameters.put("delimiter", String.valueOf(options.csv().separator()));
                if (options.csv().header()) {
                    parameters.put("skip.header.line.count", "1");
                }
            } else if (format == FileFormat.PARQUET || format == FileFormat.ORC || format == FileFormat.AVRO) {
                serdeParameters.put("serialization.format", "1");
            }
            sink.table(new CatalogChange.Table(origin, options.conflict(), options.catalog(), options.database(), table.name,
                    "EXTERNAL_TABLE", table.location, format.name(), format.inputFormat(), format.outputFormat(), serde,
                    serdeParameters, List.copyOf(columns), List.copyOf(partitionKeys), parameters, options.owner(),
                    new CatalogChange.Statistics(winner.files, winner.bytes, rows), List.copyOf(table.warnings),
                    options.incremental()));
            tables++;
            if (winner.keys.isEmpty()) {
                return;
            }
            List<CatalogChange.Partition> batch = new ArrayList<>();
            for (Partition partition : winner.partitions.values()) {
                if (options.incremental() && !partition.changed) {
                    continue;
                }
                batch.add(new CatalogChange.Partition(List.copyOf(partition.values), partition.location, Map.of(),
                        new CatalogChange.Statistics(partition.files, partition.bytes, partition.rows(format))));
                if (batch.size() == CatalogChange.MAX_PARTITIONS_PER_EVENT) {
                    emit(table, batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                emit(table, batch);
            }
        }

        private void emit(Table table, List<CatalogChange.Partition> batch) {
            sink.partitions(new CatalogChange.Partitions(origin, options.conflict(), options.catalog(), options.database(), table.name,
                    List.copyOf(batch)));
            partitions += batch.size();
        }

        // ---- warnings -----------------------------------------------------------------------

        /** A warning for the run log and the report (and the table's event, for one of a table). */
        void warn(Table table, String warning) {
            if (table != null) {
                if (table.warningsSeen.size() < MAX_SEEN_WARNINGS ? !table.warningsSeen.add(warning) : table.warningsSeen.contains(warning)) {
                    return;
                }
                if (table.warnings.size() < MAX_TABLE_WARNINGS) {
                    table.warnings.add(warning);
                }
            }
            String line = table == null ? warning : "table '" + table.name + "': " + warning;
            if (warnings.size() < limits.maxWarnings()) {
                warnings.add(line);
                runLog.accept(line);
            } else {
                warningsDropped++;
            }
        }

        private static String relative(List<String> segments, String name) {
            return segments.isEmpty() ? name : String.join("/", segments) + "/" + name;
        }
    }

    private static String describeKeys(List<String> keys) {
        return keys.isEmpty() ? "nothing (files directly in the table's folder)" : "(" + String.join(", ", keys) + ")";
    }

    /** An exception in a few words, without stack or paths of the worker's own. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Hive's escaping of partition folder names undone: {@code %2F} is {@code /}, and so on. */
    static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                s.append((char) (hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2))));
                i += 2;
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    // ---- what a table gathers -----------------------------------------------------------------

    /** A table being walked: its files grouped by partition layout (the keys of their folders). */
    private static final class Table {
        final String name;
        final List<String> segments;
        final String location;
        final Map<List<String>, Layout> layouts = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        final Set<String> warningsSeen = new LinkedHashSet<>();
        long unknownFormat;

        Table(String name, List<String> segments, String location) {
            this.name = name;
            this.segments = List.copyOf(segments);
            this.location = location;
        }

        Layout layout(List<String> keys) {
            List<String> lower = keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
            return layouts.computeIfAbsent(lower, k -> new Layout(List.copyOf(keys)));
        }
    }

    /** Files in folders partitioned by the same keys, in order. */
    private static final class Layout {
        final List<String> keys;
        final Map<List<String>, Partition> partitions = new LinkedHashMap<>();
        final Map<FileFormat, Formatted> formats = new EnumMap<>(FileFormat.class);
        long files;
        long bytes;
        long skipped;
        long notSampled;
        long unchanged;
        boolean changed;

        Layout(List<String> keys) {
            this.keys = keys;
        }

        Partition partition(List<String> values, String location) {
            return partitions.computeIfAbsent(List.copyOf(values), v -> new Partition(v, location));
        }

        /** A file's schema into the columns of its format (unless it would take them past the column bound). */
        void add(FileSchema schema, Partition partition, String shown, Run run) {
            Formatted formatted = formats.computeIfAbsent(schema.format(), f -> new Formatted());
            List<String> conflicts = new ArrayList<>();
            List<CatalogChange.Column> merged;
            try {
                merged = CatalogTypes.mergeColumns(formatted.columns, schema.columns(), conflicts);
            } catch (IllegalArgumentException e) {
                skipped++;
                formatted.warn("'" + shown + "' has a type Hive's syntax cannot hold (" + e.getMessage() + "): skipped");
                return;
            }
            if (!merged.equals(formatted.columns) && fields(merged) > run.limits.maxColumns()) {
                skipped++;
                formatted.warn("'" + shown + "' would take the table past " + run.limits.maxColumns()
                        + " columns and nested fields: skipped");
                return;
            }
            formatted.columns = merged;
            formatted.filesRead++;
            conflicts.forEach(formatted::warn);
            for (String warning : schema.warnings()) {
                formatted.warn("'" + shown + "' " + warning);
            }
            partition.read(schema.format(), schema.rows());
        }

        private static int fields(List<CatalogChange.Column> columns) {
            int n = columns.size();
            for (CatalogChange.Column column : columns) {
                n += TypeBudget.fieldsIn(CatalogTypes.parse(column.type()));
            }
            return n;
        }
    }

    /** A table's files of one format: their merged columns. */
    private static final class Formatted {
        List<CatalogChange.Column> columns = List.of();
        long filesRead;
        final Set<String> warnings = new LinkedHashSet<>();

        /** Keeps a warning, distinct ones up to what a table's event carries. */
        void warn(String warning) {
            if (warnings.size() < MAX_TABLE_WARNINGS) {
                warnings.add(warning);
            }
        }
    }

    /** One partition (folder) of a layout: its files, and the rows of those read. */
    private static final class Partition {
        final List<String> values;
        final String location;
        long files;
        long bytes;
        boolean changed;
        final Map<FileFormat, long[]> read = new EnumMap<>(FileFormat.class);

        Partition(List<String> values, String location) {
            this.values = values;
            this.location = location;
        }

        /** A file read: {files, rows, files without a row count}. */
        void read(FileFormat format, Long rows) {
            long[] counts = read.computeIfAbsent(format, f -> new long[3]);
            counts[0]++;
            if (rows == null) {
                counts[2]++;
            } else {
                counts[1] += rows;
            }
        }

        /** Rows, when every file of the partition was read as {@code format} and told its rows; else null. */
        Long rows(FileFormat format) {
            long[] counts = read.get(format);
            if (counts == null || counts[0] != files || counts[2] > 0) {
                return null;
            }
            return counts[1];
        }
    }
}
