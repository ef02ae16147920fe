package io.jobplane.api.notify;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.jobplane.api.workspace.WorkspaceObject;

/** Where a workspace's (job id null) or one job's run ends are POSTed. Its secret is stored sealed. */
@Entity
@Table(name = "webhook")
public class WebhookEntity extends WorkspaceObject {

    @Column(name = "job_id")
    public UUID jobId;
    public String url;
    /** Run statuses that trigger it; null: every run end. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] events;
    /** The signing secret as a sealed value, JSON. */
    public String secret;

    @Override
    public String toString() {
        return "Webhook[" + id + ", " + workspace + ", " + url + "]";
    }
}
