package io.jobplane.api.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiTokenValueTest {

    @Test
    void aTokenIsThePrefixAnd256RandomBitsInBase64url() {
        String token = ApiTokenValue.generate();
        assertTrue(token.startsWith("jpt_"), token.substring(0, 4));
        assertEquals(4 + 43, token.length());
        assertTrue(token.substring(4).matches("[A-Za-z0-9_-]{43}"));
        assertTrue(ApiTokenValue.wellFormed(token));
        assertTrue(ApiTokenValue.claims(token));
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(ApiTokenValue.generate()));
        }
    }

    @Test
    void onlyTheExactShapeIsWellFormed() {
        String token = ApiTokenValue.generate();
        assertFalse(ApiTokenValue.wellFormed(token.substring(0, token.length() - 1)));
        assertFalse(ApiTokenValue.wellFormed(token + "A"));
        assertFalse(ApiTokenValue.wellFormed("jpt_" + "+".repeat(43)));
        assertFalse(ApiTokenValue.wellFormed("JPT_" + token.substring(4)));
        assertFalse(ApiTokenValue.wellFormed(null));
        assertFalse(ApiTokenValue.claims("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), "a JWT is not an API token");
        assertTrue(ApiTokenValue.claims("jpt_short"), "a broken API token is still meant as one (and refused)");
        assertFalse(ApiTokenValue.wellFormed("jpt_short"));
    }

    @Test
    void theHashIsSha256OfTheText() {
        // SHA-256("abc"), FIPS 180-2 test vector.
        assertArrayEquals(HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                ApiTokenValue.hash("abc"));
        String token = ApiTokenValue.generate();
        assertEquals(32, ApiTokenValue.hash(token).length);
        assertArrayEquals(ApiTokenValue.hash(token), ApiTokenValue.hash(new String(token)));
        assertFalse(java.util.Arrays.equals(ApiTokenValue.hash(token), ApiTokenValue.hash(ApiTokenValue.generate())));
    }
}
