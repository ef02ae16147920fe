package io.jobplane.api.job.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.Zips;
import io.jobplane.api.error.ApiException;

/** The package checks on their own; upload, storage and versions are in JobSourcesIT. */
class StepPackageTest {

    @Test
    void stepsAreTheTopLevelScriptsOfThePackageOrOfItsOneFolderInNameOrder() throws Exception {
        assertEquals(List.of("a.SQL", "b.sh"), StepPackage.read(zip(Map.of("b.sh", "", "a.SQL", "", "lib/c.py", "",
                "notes.txt", ""))).steps());
        assertEquals(List.of("1.py"), StepPackage.read(zip(Map.of("job/1.py", "", "job/sub/2.sql", ""))).steps());
        // Two top folders: nothing is stripped, so no step is at the top.
        var e = assertThrows(ApiException.class, () -> StepPackage.read(zip(Map.of("one/1.py", "", "two/2.py", ""))));
        assertEquals("NO_STEPS", e.code());
    }

    @Test
    void aZipBombAnOversizedUploadAndEscapingNamesAreRefused() throws Exception {
        byte[] bomb = zip(Map.of("1.sql", "0".repeat((int) StepPackage.MAX_UNPACKED_BYTES + 1)));
        assertTrue(bomb.length < StepPackage.MAX_BYTES, "the bomb itself is small");
        var e = assertThrows(ApiException.class, () -> StepPackage.read(bomb));
        assertTrue(e.getMessage().contains("unpacks to more than"), e.getMessage());

        e = assertThrows(ApiException.class, () -> StepPackage.read(new byte[StepPackage.MAX_BYTES + 1]));
        assertEquals("PACKAGE_TOO_LARGE", e.code());

        for (String name : List.of("/etc/1.sh", "a\\..\\1.sh", "x/../../1.sh")) {
            e = assertThrows(ApiException.class, () -> StepPackage.read(zip(Map.of(name, ""))), name);
            assertEquals("INVALID_PACKAGE", e.code(), name);
        }
    }

    private static byte[] zip(Map<String, String> files) {
        return Zips.of(new TreeMap<>(files));
    }
}
