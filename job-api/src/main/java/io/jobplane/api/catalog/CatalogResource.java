package io.jobplane.api.catalog;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.catalog.CatalogViews.CatalogList;
import io.jobplane.api.catalog.CatalogViews.CatalogReport;
import io.jobplane.api.catalog.CatalogViews.DatabasePage;
import io.jobplane.api.catalog.CatalogViews.FunctionPage;
import io.jobplane.api.catalog.CatalogViews.FunctionView;
import io.jobplane.api.catalog.CatalogViews.PartitionPage;
import io.jobplane.api.catalog.CatalogViews.PlatformRecordPage;
import io.jobplane.api.catalog.CatalogViews.PlatformRecordView;
import io.jobplane.api.catalog.CatalogViews.SchemaVersionPage;
import io.jobplane.api.catalog.CatalogViews.TablePage;
import io.jobplane.api.catalog.CatalogViews.TableView;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The catalog that discovery, migration and ingest runs found (databases, tables with their schemas
 * and partitions, functions, platform records) and what each run did to it, read-only (viewer), from
 * metadata-harvester's catalog read model. Names compare ignoring case.
 */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private static final String LIMIT = "Page size, 1 to 1000 (default 100)";
    private static final String CURSOR = "next_cursor of the previous page";
    private static final String PREFIX = "Only names that start with this, ignoring case";

    private final CatalogQueryService catalog;
    private final WorkspaceGuard guard;

    public CatalogResource(CatalogQueryService catalog, WorkspaceGuard guard) {
        this.catalog = catalog;
        this.guard = guard;
    }

    @GET
    @Path("/catalogs")
    @Operation(summary = "The workspace's catalogs, with how many databases, tables and functions each holds")
    public Uni<CatalogList> catalogs(@PathParam("workspace") String workspace) {
        return catalog.catalogs(guard.require(workspace, Role.VIEWER));
    }

    @GET
    @Path("/catalogs/{catalog}/databases")
    @Operation(summary = "The catalog's databases by name, paged with a cursor")
    public Uni<DatabasePage> databases(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @Parameter(description = PREFIX) @QueryParam("prefix") String prefix,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return catalog.databases(caller, name, prefix, CatalogPaging.limit(limit), cursor);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/tables")
    @Operation(summary = "The database's tables by name: filter by a name prefix, page with a cursor")
    public Uni<TablePage> tables(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @PathParam("database") String database,
            @Parameter(description = PREFIX) @QueryParam("prefix") String prefix,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return catalog.tables(caller, name, database, prefix, CatalogPaging.limit(limit), cursor);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/tables/{table}")
    @Operation(summary = "One table: its columns, partition keys, storage, SerDe, parameters, statistics, warnings and schema versions")
    public Uni<TableView> table(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @PathParam("database") String database, @PathParam("table") String table) {
        return catalog.table(guard.require(workspace, Role.VIEWER), name, database, table);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/tables/{table}/schema-versions")
    @Operation(summary = "The schemas the table has had, newest first: a new version whenever its columns or partition keys changed")
    public Uni<SchemaVersionPage> schemaVersions(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @PathParam("database") String database, @PathParam("table") String table,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return catalog.schemaVersions(caller, name, database, table, CatalogPaging.limit(limit), cursor);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/tables/{table}/partitions")
    @Operation(summary = "The table's partitions, ordered by their values, paged with a cursor")
    public Uni<PartitionPage> partitions(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @PathParam("database") String database, @PathParam("table") String table,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return catalog.partitions(caller, name, database, table, CatalogPaging.limit(limit), cursor);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/functions")
    @Operation(summary = "The database's user-defined functions by name, paged with a cursor")
    public Uni<FunctionPage> functions(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @PathParam("database") String database,
            @Parameter(description = PREFIX) @QueryParam("prefix") String prefix,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return catalog.functions(caller, name, database, prefix, CatalogPaging.limit(limit), cursor);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/functions/{function}")
    @Operation(summary = "One user-defined function: its class, type, owner and resources")
    public Uni<FunctionView> function(@PathParam("workspace") String workspace, @PathParam("catalog") String name,
            @PathParam("database") String database, @PathParam("function") String function) {
        return catalog.function(guard.require(workspace, Role.VIEWER), name, database, function);
    }

    @GET
    @Path("/platform/{kind}")
    @Operation(summary = "Records of a platform's own metadata (jobs, schedules, connections, users, databases, policies) "
            + "that ingest runs read, by source and id, paged with a cursor")
    public Uni<PlatformRecordPage> platformRecords(@PathParam("workspace") String workspace,
            @Parameter(description = "jobs, schedules, connections, users, databases or policies") @PathParam("kind") String kind,
            @Parameter(description = "Only the records read from this source (connection)") @QueryParam("source") String source,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return catalog.platformRecords(caller, kind, source, CatalogPaging.limit(limit), cursor);
    }

    @GET
    @Path("/platform/{kind}/{id}")
    @Operation(summary = "One platform record, its JSON as the platform gave it; name the source when several hold the id")
    public Uni<PlatformRecordView> platformRecord(@PathParam("workspace") String workspace, @PathParam("kind") String kind,
            @PathParam("id") String id,
            @Parameter(description = "The source (connection) the record was read from") @QueryParam("source") String source) {
        return catalog.platformRecord(guard.require(workspace, Role.VIEWER), kind, id, source);
    }

    @GET
    @Path("/runs/{run_id}/catalog-report")
    @Operation(summary = "What a discovery, migration or ingest run did to the catalog: added, changed, unchanged per kind, "
            + "and whether all its changes are applied")
    public Uni<CatalogReport> report(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId) {
        return catalog.report(guard.require(workspace, Role.VIEWER), runId);
    }
}
