package io.jobplane.policy.readmodel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Grant;
import io.jobplane.events.payload.policy.PolicyChange.Principal;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.ReportEntry;
import io.jobplane.events.payload.policy.PolicyChange.Resource;

/**
 * One policy change as the read model applies it: the event's id and type, the run that sent it, and its
 * payload, checked and normalised (privileges and principal types upper-cased, blank optional names made
 * null, a batch's grants made distinct). Reading is pure: whatever is wrong with an event throws
 * {@link MalformedEventException} here, so the event is dead-lettered instead of failing the batch's
 * transaction again and again. {@code change} is null for a policy event type this version does not know
 * (it is ignored).
 */
public record PolicyEvent(String id, String type, PolicyChange.Run run, String origin, Object change) {

    /** Longest name (workspace, run id, origin, generation, principal, catalog object, privilege, kind). */
    static final int MAX_NAME = 512;
    /** Longest free text (location, file, policy name, item, reason). */
    static final int MAX_TEXT = 4_000;

    public PolicyEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }

    /** The read-model item of a policy event, or null when its type is not a policy change (ignored). */
    public static PolicyEvent read(CloudEvent event) {
        if (event.type() == null || !event.type().startsWith("jobplane.policy.")) {
            return null;
        }
        String id = name("id", event.id());
        return switch (event.type()) {
            case EventTypes.POLICY_GRANTS_STAGED -> {
                PolicyChange.GrantsStaged s = staged(event.dataAs(PolicyChange.GrantsStaged.class));
                yield new PolicyEvent(id, event.type(), s.run(), s.origin(), s);
            }
            case EventTypes.POLICY_GRANTS_COMMITTED -> {
                PolicyChange.GrantsCommitted c = committed(event.dataAs(PolicyChange.GrantsCommitted.class));
                yield new PolicyEvent(id, event.type(), c.run(), c.origin(), c);
            }
            case EventTypes.POLICY_REPORT -> {
                PolicyChange.Report r = report(event.dataAs(PolicyChange.Report.class));
                yield new PolicyEvent(id, event.type(), r.run(), r.origin(), r);
            }
            case EventTypes.POLICY_RUN_COMPLETED -> {
                PolicyChange.RunCompleted c = completed(event.dataAs(PolicyChange.RunCompleted.class));
                yield new PolicyEvent(id, event.type(), c.run(), c.origin(), c);
            }
            default -> new PolicyEvent(id, event.type(), null, null, null);
        };
    }

    /** The key of what the event's report counts go to. */
    public RunKey runKey() {
        return new RunKey(run.workspace(), run.runId(), run.attempt());
    }

    static PolicyChange.GrantsStaged staged(PolicyChange.GrantsStaged s) {
        if (s.grants() == null || s.grants().size() > PolicyChange.MAX_GRANTS_PER_EVENT) {
            throw new MalformedEventException("grants must be a list of at most " + PolicyChange.MAX_GRANTS_PER_EVENT);
        }
        // A batch names each grant once (one statement may write a row once).
        Map<String, Grant> byKey = new LinkedHashMap<>();
        for (Grant g : s.grants()) {
            Grant clean = grant(g);
            byKey.putIfAbsent(key(clean), clean);
        }
        return new PolicyChange.GrantsStaged(run(s.run()), name("origin", s.origin()), name("generation", s.generation()),
                List.copyOf(byKey.values()));
    }

    static PolicyChange.GrantsCommitted committed(PolicyChange.GrantsCommitted c) {
        if (c.expectedGrants() < 0) {
            throw new MalformedEventException("expected_grants is negative");
        }
        return new PolicyChange.GrantsCommitted(run(c.run()), name("origin", c.origin()), name("generation", c.generation()),
                c.expectedGrants());
    }

    static PolicyChange.Report report(PolicyChange.Report r) {
        if (r.entries() == null || r.entries().size() > PolicyChange.MAX_REPORT_ENTRIES_PER_EVENT) {
            throw new MalformedEventException("entries must be a list of at most " + PolicyChange.MAX_REPORT_ENTRIES_PER_EVENT);
        }
        List<ReportEntry> entries = new ArrayList<>();
        for (ReportEntry e : r.entries()) {
            if (e == null) {
                throw new MalformedEventException("a report entry is null");
            }
            entries.add(new ReportEntry(provenance(e.provenance()), name("entry kind", e.kind()), text("reason", e.reason(), true)));
        }
        return new PolicyChange.Report(run(r.run()), name("origin", r.origin()), List.copyOf(entries));
    }

    static PolicyChange.RunCompleted completed(PolicyChange.RunCompleted c) {
        if (c.grants() < 0 || c.leftOut() < 0) {
            throw new MalformedEventException("grants and left_out must not be negative");
        }
        return new PolicyChange.RunCompleted(run(c.run()), name("origin", c.origin()), c.grants(), c.leftOut());
    }

    static Grant grant(Grant g) {
        if (g == null) {
            throw new MalformedEventException("a grant is null");
        }
        Principal p = g.principal();
        if (p == null) {
            throw new MalformedEventException("a grant has no principal");
        }
        Principal principal = new Principal(upper(name("principal.type", p.type())), upper(name("principal.source", p.source())),
                name("principal.name", p.name()));
        return new Grant(principal, resource(g.resource()), upper(name("privilege", g.privilege())), g.grantOption(),
                provenance(g.provenance()));
    }

    static Resource resource(Resource r) {
        if (r == null) {
            throw new MalformedEventException("a grant has no resource");
        }
        String catalog = optionalName("resource.catalog", r.catalog());
        String database = optionalName("resource.database", r.database());
        String table = optionalName("resource.table", r.table());
        String column = optionalName("resource.column", r.column());
        String location = r.location() == null || r.location().isBlank() ? null : text("resource.location", r.location(), true);
        if (location != null) {
            if (catalog != null || database != null || table != null || column != null) {
                throw new MalformedEventException("a resource is a catalog object or a location, not both");
            }
        } else {
            if (catalog == null) {
                throw new MalformedEventException("a resource names neither a catalog nor a location");
            }
            if ((table != null && database == null) || (column != null && table == null)) {
                throw new MalformedEventException("a resource skips a level (catalog, database, table, column)");
            }
        }
        return new Resource(catalog, database, table, column, location, r.pattern());
    }

    static Provenance provenance(Provenance p) {
        if (p == null) {
            return new Provenance(null, null, null, null);
        }
        return new Provenance(text("provenance.file", p.file(), false), text("provenance.policy_id", p.policyId(), false),
                text("provenance.policy_name", p.policyName(), false), text("provenance.item", p.item(), false));
    }

    private static PolicyChange.Run run(PolicyChange.Run r) {
        if (r == null) {
            throw new MalformedEventException("run is missing");
        }
        if (r.attempt() < 0) {
            throw new MalformedEventException("run.attempt is negative");
        }
        return new PolicyChange.Run(name("run.workspace", r.workspace()), text("run.job_id", r.jobId(), false),
                name("run.run_id", r.runId()), r.attempt(), r.observedAt());
    }

    /**
     * The identity of a grant within its origin: a SHA-256 of every field (principal, resource, privilege,
     * grant option, provenance), each length-prefixed so no two grants share a key.
     */
    public static String key(Grant g) {
        StringBuilder b = new StringBuilder();
        Resource r = g.resource();
        Provenance p = g.provenance();
        for (String field : new String[] { g.principal().type(), g.principal().source(), g.principal().name(), r.catalog(),
                r.database(), r.table(), r.column(), r.location(), String.valueOf(r.pattern()), g.privilege(),
                String.valueOf(g.grantOption()), p.file(), p.policyId(), p.policyName(), p.item() }) {
            if (field == null) {
                b.append("-;");
            } else {
                b.append(field.length()).append(':').append(field).append(';');
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /** A required name: not blank, at most {@link #MAX_NAME} characters, no NUL. */
    static String name(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException(what + " is missing");
        }
        if (value.length() > MAX_NAME) {
            throw new MalformedEventException(what + " is longer than " + MAX_NAME + " characters");
        }
        return noNul(what, value);
    }

    private static String optionalName(String what, String value) {
        return value == null || value.isBlank() ? null : name(what, value);
    }

    private static String text(String what, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new MalformedEventException(what + " is missing");
            }
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new MalformedEventException(what + " is longer than " + MAX_TEXT + " characters");
        }
        return noNul(what, value);
    }

    private static String noNul(String what, String value) {
        if (value.indexOf('\u0000') >= 0) {
            throw new MalformedEventException(what + " holds a NUL character");
        }
        return value;
    }

    /** The run (and attempt) a change is counted for. */
    public record RunKey(String workspace, String runId, int attempt) {
    }
}
