package io.jobplane.api.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;

class EndpointSecretsTest {

    private static final List<String> HELD = List.of("password", "secret_headers.X-Api-Key");

    @Test
    void aNewEndpointNeedsEveryHeldSecretAgain() {
        assertEquals(HELD, EndpointSecrets.missing(List.of("jdbc_url"), HELD, Map.of(), List.of()));
        assertEquals(List.of("secret_headers.X-Api-Key"),
                EndpointSecrets.missing(List.of("base_url", "headers"), HELD, Map.of("password", "pw"), List.of()));
        assertEquals(List.of("password"), EndpointSecrets.missing(List.of("base_path"), HELD,
                Map.of("password", ""), List.of("secret_headers.X-Api-Key")), "an empty value is no value; a removed secret is not needed");
    }

    @Test
    void theSameEndpointKeepsItsSecrets() {
        assertTrue(EndpointSecrets.missing(List.of("username", "name", "headers"), HELD, Map.of(), List.of()).isEmpty());
        assertTrue(EndpointSecrets.missing(List.of(), HELD, Map.of(), List.of()).isEmpty());
    }

    @Test
    void aConnectionWithoutSecretsMovesFreely() {
        assertTrue(EndpointSecrets.missing(List.of("jdbc_url"), List.of(), Map.of(), List.of()).isEmpty());
    }

    @Test
    void theRefusalNamesTheFieldsAndChangesToSend() {
        ApiException e = assertThrows(ApiException.class,
                () -> EndpointSecrets.require(List.of("jdbc_url"), HELD, Map.of("password", "new"), List.of()));
        assertEquals("SECRET_REQUIRED", e.code());
        assertEquals(400, e.status().getStatusCode());
        assertTrue(e.getMessage().contains("secret_headers.X-Api-Key") && e.getMessage().contains("jdbc_url"), e.getMessage());
        assertTrue(!e.getMessage().contains("password,"), e.getMessage());
        EndpointSecrets.require(List.of("jdbc_url"), HELD, Map.of("password", "new", "secret_headers.X-Api-Key", "k"), List.of());
    }
}
