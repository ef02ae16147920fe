package io.jobplane.api.pool;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A workspace's named pool of slots, as stored (V26__pools_and_priority.sql). */
@Entity
@Table(name = "pool")
@IdClass(PoolEntity.Key.class)
public class PoolEntity extends PanacheEntityBase {

    @Id
    public String workspace;
    @Id
    public String name;
    public int slots;
    public String description;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** A pool's key: its workspace and name. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        public String workspace;
        public String name;

        public Key() {
        }

        public Key(String workspace, String name) {
            this.workspace = workspace;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(workspace, k.workspace) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, name);
        }
    }
}
