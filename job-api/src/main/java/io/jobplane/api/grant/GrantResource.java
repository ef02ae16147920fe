package io.jobplane.api.grant;

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

import io.jobplane.api.grant.GrantViews.CheckResult;
import io.jobplane.api.grant.GrantViews.GrantPage;
import io.jobplane.api.grant.GrantViews.PermissionReport;
import io.jobplane.api.grant.GrantViews.PrincipalPage;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The grants that permission migration runs found (who may do what on which catalog object or location,
 * and where each grant came from), read-only (viewer), from policy-migrator's grants read model.
 */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Grants")
@Produces(MediaType.APPLICATION_JSON)
public class GrantResource {

    private static final String LIMIT = "Page size, 1 to 1000 (default 100)";
    private static final String CURSOR = "next_cursor of the previous page";
    private static final String PRINCIPAL = "The principal's name, exactly as the grants show it";
    private static final String PRINCIPAL_TYPE = "Only principals of this type (IAM_USER, IAM_GROUP, ROLE, USER, GROUP, SHARE, OTHER)";

    private final GrantQueryService grants;
    private final WorkspaceGuard guard;

    public GrantResource(GrantQueryService grants, WorkspaceGuard guard) {
        this.grants = grants;
        this.guard = guard;
    }

    @GET
    @Path("/grants")
    @Operation(summary = "The workspace's grants: filter by principal, privilege and resource (the object and everything in it), "
            + "paged with a cursor")
    public Uni<GrantPage> list(@PathParam("workspace") String workspace,
            @Parameter(description = PRINCIPAL) @QueryParam("principal") String principal,
            @Parameter(description = PRINCIPAL_TYPE) @QueryParam("principal_type") String principalType,
            @Parameter(description = "Only grants of this privilege, e.g. SELECT") @QueryParam("privilege") String privilege,
            @Parameter(description = "catalog[.database[.table[.column]]] or a location (scheme://… or /…): grants on it "
                    + "and inside it") @QueryParam("resource") String resource,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return grants.grants(caller, GrantParams.principal(principal, false), GrantParams.principalType(principalType),
                GrantParams.privilege(privilege, false), GrantParams.resource(resource, false), GrantParams.limit(limit), cursor);
    }

    @GET
    @Path("/grants/check")
    @Operation(summary = "Whether a principal holds a privilege on a resource, and the grants that allow it")
    public Uni<CheckResult> check(@PathParam("workspace") String workspace,
            @Parameter(description = PRINCIPAL, required = true) @QueryParam("principal") String principal,
            @Parameter(description = PRINCIPAL_TYPE) @QueryParam("principal_type") String principalType,
            @Parameter(description = "The privilege, e.g. SELECT; a grant of ALL gives every privilege", required = true)
            @QueryParam("privilege") String privilege,
            @Parameter(description = "catalog.database.table[.column] (or fewer names) or a location", required = true)
            @QueryParam("resource") String resource) {
        var caller = guard.require(workspace, Role.VIEWER);
        return grants.check(caller, GrantParams.principal(principal, true), GrantParams.principalType(principalType),
                GrantParams.privilege(privilege, true), GrantParams.resource(resource, true));
    }

    @GET
    @Path("/principals")
    @Operation(summary = "The principals the workspace's grants name, by name, with how many grants each has, paged with a cursor")
    public Uni<PrincipalPage> principals(@PathParam("workspace") String workspace,
            @Parameter(description = PRINCIPAL_TYPE) @QueryParam("principal_type") String principalType,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return grants.principals(caller, GrantParams.principalType(principalType), GrantParams.limit(limit), cursor);
    }

    @GET
    @Path("/principals/{principal}/grants")
    @Operation(summary = "One principal's grants, paged with a cursor")
    public Uni<GrantPage> principalGrants(@PathParam("workspace") String workspace,
            @Parameter(description = PRINCIPAL) @PathParam("principal") String principal,
            @Parameter(description = PRINCIPAL_TYPE) @QueryParam("principal_type") String principalType,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        return grants.principalGrants(caller, GrantParams.principal(principal, true), GrantParams.principalType(principalType),
                GrantParams.limit(limit), cursor);
    }

    @GET
    @Path("/catalogs/{catalog}/databases/{database}/tables/{table}/grants")
    @Operation(summary = "The grants that reach a table: on it and its columns, on its database and catalog, and pattern grants "
            + "matching it, paged with a cursor")
    public Uni<GrantPage> tableGrants(@PathParam("workspace") String workspace, @PathParam("catalog") String catalog,
            @PathParam("database") String database, @PathParam("table") String table,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        var caller = guard.require(workspace, Role.VIEWER);
        GrantParams.resource(catalog + "." + database + "." + table, true);
        return grants.tableGrants(caller, catalog, database, table, GrantParams.limit(limit), cursor);
    }

    @GET
    @Path("/runs/{run_id}/permission-report")
    @Operation(summary = "What a permission migration run did: grants added, revoked and unchanged, the items it left out "
            + "(by kind, and paged one by one), and whether all its changes are applied")
    public Uni<PermissionReport> report(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit,
            @Parameter(description = CURSOR) @QueryParam("cursor") String cursor) {
        return grants.report(guard.require(workspace, Role.VIEWER), runId, GrantParams.limit(limit), cursor);
    }
}
