package io.jobplane.events.payload.catalog;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a discovery reads: {@code <scheme>://<connection>/<path>}. As an object store's URI names its
 * bucket, the part after the scheme names a {@code filesystem} connection of the workspace, and the
 * path is below its {@code base_path} ({@code fs://landing/} is the whole base path; LakeFormation's
 * {@code obs://logStore/2023} reads {@code 2023} under the connection {@code logStore}). The scheme is
 * kept for display only: today every location is read through a filesystem connection. The name is
 * looked up by job-api when a run is launched; the worker reads only below the base path.
 */
public record DataLocation(String scheme, String connection, String path) {

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{0,15}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    /** Parses the location; {@link IllegalArgumentException} says what is wrong. */
    public static DataLocation parse(String location) {
        int colon = location == null ? -1 : location.indexOf("://");
        if (colon < 0 || !SCHEME.matcher(location.substring(0, colon)).matches()) {
            throw new IllegalArgumentException("must be <scheme>://<connection>/<path>, e.g. fs://landing/sales: the name of a"
                    + " filesystem connection of the workspace, then a path below its base_path");
        }
        String scheme = location.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = location.substring(colon + 3);
        int slash = rest.indexOf('/');
        String connection = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!NAME.matcher(connection).matches()) {
            throw new IllegalArgumentException("names no connection: '" + connection
                    + "' is not a connection name (letters, digits, '_', '-', '.')");
        }
        StringBuilder clean = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || part.indexOf('\\') >= 0 || part.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("may not climb out of the connection: '..', '\\' and NUL are refused in its path");
            }
            if (clean.length() > 0) {
                clean.append('/');
            }
            clean.append(part);
        }
        return new DataLocation(scheme, connection, clean.toString());
    }

    /** The location as shown in the catalog: {@code <scheme>://<connection>/<path>}. */
    public String uri() {
        return scheme + "://" + connection + "/" + path;
    }
}
