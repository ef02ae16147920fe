package io.jobplane.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class PresentedCredentialsTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl-_";
    private static final String API_TOKEN = ApiTokenValue.generate();

    /** Headers as Vert.x gives them: by case-insensitive name, every value. */
    private static Optional<String> find(String... nameValuePairs) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.computeIfAbsent(nameValuePairs[i], k -> new ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        return PresentedCredentials.find(name -> headers.getOrDefault(name, List.of()));
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static PresentedCredentials.Refused refused(String... nameValuePairs) {
        PresentedCredentials.Refused refused = assertThrows(PresentedCredentials.Refused.class, () -> find(nameValuePairs));
        assertEquals(401, refused.failure().status().getStatusCode());
        assertEquals("UNAUTHENTICATED", refused.failure().code());
        assertFalse(refused.failure().fix().isBlank());
        return refused;
    }

    @Test
    void noCredentialIsNoCredential() {
        assertEquals(Optional.empty(), find());
        assertEquals(Optional.empty(), find("Accept", "application/json"));
    }

    @Test
    void theTokenIsFoundInEveryPlaceAClientPutsIt() {
        for (String token : List.of(JWT, API_TOKEN)) {
            assertEquals(Optional.of(token), find("Authorization", "Bearer " + token));
            assertEquals(Optional.of(token), find("authorization", "bearer  " + token + " "), "scheme and name in any case");
            assertEquals(Optional.of(token), find("X-Auth-Token", token));
            assertEquals(Optional.of(token), find("x-auth-token", " " + token));
            assertEquals(Optional.of(token), find("x-cdata-authtoken", token));
            assertEquals(Optional.of(token), find("X-CData-AuthToken", token));
            assertEquals(Optional.of(token), find("Authorization", basic("cdata-user:" + token)));
            assertEquals(Optional.of(token), find("Authorization", basic(":" + token)), "the user name may be empty");
            assertEquals(Optional.of(token), find("Authorization", "BASIC " + basic("a:" + token).substring(6)));
        }
    }

    @Test
    void theSameTokenInSeveralPlacesCountsOnce() {
        assertEquals(Optional.of(API_TOKEN), find("Authorization", "Bearer " + API_TOKEN, "X-Auth-Token", API_TOKEN,
                "x-cdata-authtoken", API_TOKEN));
        assertEquals(Optional.of(API_TOKEN), find("X-Auth-Token", API_TOKEN, "X-Auth-Token", API_TOKEN));
    }

    @Test
    void twoDifferentCredentialsAreRefusedWhereverTheyAre() {
        String other = ApiTokenValue.generate();
        refused("Authorization", "Bearer " + API_TOKEN, "X-Auth-Token", other);
        refused("Authorization", "Bearer " + JWT, "x-cdata-authtoken", API_TOKEN);
        refused("X-Auth-Token", API_TOKEN, "x-cdata-authtoken", other);
        refused("X-Auth-Token", API_TOKEN, "X-Auth-Token", other);
        refused("Authorization", "Bearer " + API_TOKEN, "Authorization", "Bearer " + other);
        refused("Authorization", basic("u:" + API_TOKEN), "X-Auth-Token", JWT);
        PresentedCredentials.Refused r = refused("Authorization", "Bearer " + API_TOKEN, "X-Auth-Token", other);
        assertTrue(r.failure().message().contains("2 different credentials"), r.failure().message());
    }

    @Test
    void malformedHeadersAreRefused() {
        refused("Authorization", "Bearer");
        refused("Authorization", "Bearer   ");
        refused("Authorization", "");
        refused("Authorization", "Digest username=\"a\"");
        refused("Authorization", "Token " + API_TOKEN);
        refused("Authorization", API_TOKEN);
        refused("Authorization", "Bearer a b");
        refused("Authorization", "Bearer \"" + API_TOKEN + "\"");
        refused("Authorization", "Bearer " + "a".repeat(PresentedCredentials.MAX_LENGTH + 1));
        refused("X-Auth-Token", "");
        refused("X-Auth-Token", "tok\u00e9n");
        refused("x-cdata-authtoken", "a,b");
        refused("Authorization", "Basic !!!not-base64");
        refused("Authorization", basic("no-colon-here"));
        refused("Authorization", basic("user:"));
        refused("Authorization", "Basic " + Base64.getEncoder().encodeToString(new byte[] { 'u', ':', (byte) 0xff }));
    }

    @Test
    void noRefusalRepeatsTheCredential() {
        String secret = ApiTokenValue.generate();
        List<String[]> cases = List.of(
                new String[] { "Authorization", "Bearer " + API_TOKEN, "X-Auth-Token", secret },
                new String[] { "Authorization", "Token " + secret },
                new String[] { "X-Auth-Token", secret + " extra" },
                new String[] { "Authorization", basic(secret) },
                new String[] { "Authorization", "Basic " + secret + "!" });
        for (String[] c : cases) {
            PresentedCredentials.Refused r = refused(c);
            String said = (r.getMessage() + r.failure().message() + r.failure().fix()).toLowerCase(Locale.ROOT);
            assertFalse(said.contains(secret.toLowerCase(Locale.ROOT)), said);
            assertFalse(said.contains(secret.substring(4, 20).toLowerCase(Locale.ROOT)), said);
        }
    }
}
