package io.jobplane.api.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Finds the one credential of a request, wherever the clients the platform serves put it:
 * <ul>
 * <li>{@code Authorization: Bearer <token>} (native API, Tailer);</li>
 * <li>{@code X-Auth-Token: <token>} (LakeFormation);</li>
 * <li>{@code x-cdata-authtoken: <token>} (CData Sync);</li>
 * <li>{@code Authorization: Basic base64(user:token)} (CData Sync): the password is the token, the user
 * name is not checked.</li>
 * </ul>
 * A token is a JWT of the configured issuer or an API token; both are verified the same way
 * wherever they come from. The same token in several places counts once; two different ones, an
 * empty or malformed header, or another {@code Authorization} scheme are refused, never guessed
 * between. Nothing here puts a credential in a message.
 */
public final class PresentedCredentials {

    public static final String AUTHORIZATION = "Authorization";
    public static final String X_AUTH_TOKEN = "X-Auth-Token";
    public static final String X_CDATA_AUTHTOKEN = "x-cdata-authtoken";

    /** Longest credential accepted, in characters (well above any JWT an issuer mints for this API). */
    static final int MAX_LENGTH = 8192;
    /** RFC 6750 {@code b64token}: what a bearer token may consist of (JWTs and API tokens both fit). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String WHERE = "Send one token, in one of these places: 'Authorization: Bearer <token>', "
            + "'X-Auth-Token: <token>', 'x-cdata-authtoken: <token>' or 'Authorization: Basic <base64 of user:token>' "
            + "(any user name).";

    private PresentedCredentials() {
    }

    /** Thrown when the credentials of a request cannot be used; {@link #failure()} says why. */
    public static final class Refused extends RuntimeException {

        private final transient AuthFailure failure;

        Refused(String message, String fix) {
            super(message, null, false, false);
            this.failure = AuthFailure.unauthenticated(message, fix);
        }

        public AuthFailure failure() {
            return failure;
        }
    }

    /**
     * The token the request carries, empty when it carries none.
     *
     * @param headers every value of a header, by case-insensitive name (an empty list when absent)
     * @throws Refused when the request carries two different credentials or a malformed one
     */
    public static Optional<String> find(Function<String, List<String>> headers) {
        Set<String> found = new LinkedHashSet<>();
        for (String value : values(headers, AUTHORIZATION)) {
            found.add(fromAuthorization(value));
        }
        for (String header : List.of(X_AUTH_TOKEN, X_CDATA_AUTHTOKEN)) {
            for (String value : values(headers, header)) {
                found.add(checked(value == null ? "" : value.trim(), "The " + header + " header"));
            }
        }
        if (found.size() > 1) {
            throw new Refused("The request carries " + found.size() + " different credentials", WHERE);
        }
        return found.stream().findFirst();
    }

    private static List<String> values(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        return values == null ? List.of() : values;
    }

    private static String fromAuthorization(String value) {
        String header = value == null ? "" : value.trim();
        int space = header.indexOf(' ');
        String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : header.substring(space + 1).trim();
        return switch (scheme) {
            case "bearer" -> checked(rest, "The Authorization: Bearer header");
            case "basic" -> checked(basicPassword(rest), "The password of the Authorization: Basic header");
            default -> throw new Refused("The Authorization header uses a scheme this API does not accept",
                    "Use 'Bearer' or 'Basic'. " + WHERE);
        };
    }

    /** The password of {@code base64(user:password)}; the user name is not looked at. */
    private static String basicPassword(String encoded) {
        String pair;
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            pair = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new Refused("The Authorization: Basic header is not base64 of UTF-8 'user:token'",
                    "Encode '<any user name>:<token>' in base64 (curl -u 'user:<token>' does). " + WHERE);
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw new Refused("The Authorization: Basic header has no ':' between user name and token",
                    "Encode '<any user name>:<token>' in base64 (curl -u 'user:<token>' does). " + WHERE);
        }
        return pair.substring(colon + 1);
    }

    private static String checked(String token, String where) {
        if (token.isEmpty()) {
            throw new Refused(where + " is empty", WHERE);
        }
        if (token.length() > MAX_LENGTH || !TOKEN.matcher(token).matches()) {
            throw new Refused(where + " does not hold a token (a JWT or an API token)",
                    "Send the token exactly as it was issued, without quotes or spaces. " + WHERE);
        }
        return token;
    }
}
