package io.jobplane.worker.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/** The worker opens a connection's password only where it was sealed: the run's workspace, that connection, its password field. */
class EndpointTest {

    private static final SecretKeyring KEYRING = new SecretKeyring("k1",
            Map.of("k1", Base64.getEncoder().encodeToString(new byte[32])));

    private static ConnectionSpec spec(String connectionId, SealedValue password) {
        return new ConnectionSpec(connectionId, "postgresql", "jdbc:postgresql://db.example:5432/dwh", "loader", password);
    }

    @Test
    void thePasswordOpensForItsOwnWorkspaceAndConnection() throws Exception {
        SealedValue sealed = KEYRING.seal("canary-pw", SecretOwner.connection("alpha", "c-1"), "password");
        assertEquals("canary-pw", Endpoint.open("destination", spec("c-1", sealed), "alpha", KEYRING).password());
    }

    @Test
    void aPasswordMovedIntoAnotherWorkspacesCommandOrConnectionDoesNotOpen() {
        SealedValue sealed = KEYRING.seal("canary-pw", SecretOwner.connection("alpha", "c-1"), "password");
        Endpoint.Unavailable otherWorkspace = assertThrows(Endpoint.Unavailable.class,
                () -> Endpoint.open("destination", spec("c-1", sealed), "beta", KEYRING));
        assertTrue(otherWorkspace.getMessage().contains("cannot open the destination password"), otherWorkspace.getMessage());
        assertFalse(otherWorkspace.getMessage().contains("canary-pw"));
        assertThrows(Endpoint.Unavailable.class, () -> Endpoint.open("destination", spec("c-2", sealed), "alpha", KEYRING));
        SealedValue token = KEYRING.seal("canary-pw", SecretOwner.connection("alpha", "c-1"), "auth_token");
        assertThrows(Endpoint.Unavailable.class, () -> Endpoint.open("destination", spec("c-1", token), "alpha", KEYRING),
                "another field's value in the password's place");
    }

    @Test
    void aPasswordSealedBeforeBindingsStillOpens() throws Exception {
        assertEquals("old", Endpoint.open("source", spec("c-1", KEYRING.seal("old")), "alpha", KEYRING).password());
    }
}
