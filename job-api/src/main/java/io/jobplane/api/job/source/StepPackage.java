package io.jobplane.api.job.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.jobplane.api.error.ApiException;
import io.jobplane.events.Checksums;

/**
 * An uploaded step package (VDK's data-job layout): a zip whose top level (or whose one top-level
 * folder) holds the steps, {@code .sql}, {@code .py} and {@code .sh} files run in name order, next
 * to whatever else the job needs (requirements, configuration). Read whole and checked before
 * anything is stored: names that climb out of the package, too many entries or too many bytes
 * unpacked (a zip bomb), and a package without a step are refused.
 */
public record StepPackage(byte[] content, String sha256, List<String> steps) {

    /** Upload size limit; below the HTTP body limit, so the answer is still our JSON error. */
    public static final int MAX_BYTES = io.jobplane.events.payload.StepPackageSpec.MAX_BYTES;
    static final long MAX_UNPACKED_BYTES = 64L * 1024 * 1024;
    static final int MAX_ENTRIES = 1000;

    public static StepPackage read(byte[] content) {
        if (content == null || content.length == 0) {
            throw invalid("The body is empty", "Send the zip file as the body (Content-Type: application/zip).");
        }
        if (content.length > MAX_BYTES) {
            throw ApiException.badRequest("PACKAGE_TOO_LARGE", "The package has " + content.length + " bytes, more than "
                    + MAX_BYTES, "Leave data out of the package; steps read it from the job's connections.");
        }
        List<String> names = new ArrayList<>();
        long unpacked = 0;
        byte[] buffer = new byte[8192];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                if (name.startsWith("/") || name.contains("\\") || name.contains("\0")
                        || List.of(name.split("/")).contains("..")) {
                    throw invalid("Entry '" + name + "' would be written outside the package",
                            "Zip the job's folder with relative names.");
                }
                if (names.size() >= MAX_ENTRIES) {
                    throw invalid("The package has more than " + MAX_ENTRIES + " entries", "Package only the job's files.");
                }
                for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                    unpacked += n;
                    if (unpacked > MAX_UNPACKED_BYTES) {
                        throw invalid("The package unpacks to more than " + MAX_UNPACKED_BYTES + " bytes",
                                "Leave data out of the package; steps read it from the job's connections.");
                    }
                }
                if (!entry.isDirectory()) {
                    names.add(name);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("The body is not a readable zip file: " + e.getMessage(), "Send a zip (e.g. zip -r job.zip my-job).");
        }
        if (names.isEmpty()) {
            throw invalid("The body is not a zip file, or an empty one", "Send a zip (e.g. zip -r job.zip my-job).");
        }
        List<String> steps = steps(names);
        if (steps.isEmpty()) {
            throw ApiException.badRequest("NO_STEPS", "The package has no step: no .sql, .py or .sh file at its top level",
                    "Put the steps (e.g. 10_prepare.sql, 20_load.py) at the top of the zip or of its one folder.");
        }
        return new StepPackage(content, Checksums.sha256(content), steps);
    }

    /** The step files, in the order they run: at the top level, or in the package's one top folder. */
    private static List<String> steps(List<String> names) {
        String prefix = "";
        String first = names.get(0);
        int slash = first.indexOf('/');
        if (slash > 0) {
            String folder = first.substring(0, slash + 1);
            if (names.stream().allMatch(n -> n.startsWith(folder))) {
                prefix = folder;
            }
        }
        List<String> steps = new ArrayList<>();
        for (String name : names) {
            String relative = name.substring(prefix.length());
            String lower = relative.toLowerCase(Locale.ROOT);
            if (!relative.contains("/") && (lower.endsWith(".sql") || lower.endsWith(".py") || lower.endsWith(".sh"))) {
                steps.add(relative);
            }
        }
        steps.sort(null);
        return steps;
    }

    private static ApiException invalid(String message, String fix) {
        return ApiException.badRequest("INVALID_PACKAGE", message, fix);
    }
}
