package io.jobplane.api.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kinds of systems a connection points at. */
public enum ConnectionType {
    POSTGRESQL("postgresql");

    private final String wire;

    ConnectionType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ConnectionType fromWire(String value) {
        for (ConnectionType type : values()) {
            if (type.wire.equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown connection type '" + value + "'");
    }

    @Override
    public String toString() {
        return wire;
    }
}
