package io.jobplane.stack.cli.user;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Option;

/** {@code --output table|json} of a read command: aligned columns, or the API's JSON as it came, indented. */
final class Output {

    enum Format {
        TABLE, JSON
    }

    @Option(names = { "-o", "--output" }, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (the API's JSON as is); default ${DEFAULT-VALUE}")
    Format format = Format.TABLE;

    boolean json() {
        return format == Format.JSON;
    }

    static void printJson(PrintWriter out, JsonNode json) {
        try {
            out.println(ApiClient.JSON.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
