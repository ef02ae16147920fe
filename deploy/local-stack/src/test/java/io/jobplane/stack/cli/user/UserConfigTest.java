package io.jobplane.stack.cli.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserConfigTest {

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    @Test
    void theFileIsUnderTheHomeUnlessJobplaneConfigNamesOne() {
        assertEquals(home.resolve(".config/jobplane/config.json"), UserConfig.file(env::get, home));
        env.put("JOBPLANE_CONFIG", home.resolve("other.json").toString());
        assertEquals(home.resolve("other.json"), UserConfig.file(env::get, home));
    }

    @Test
    void anOptionBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheLocalStack() {
        UserConfig file = new UserConfig("http://file:8080", "file-ws", "file-token");
        assertEquals(new UserConfig("http://file:8080", "file-ws", "file-token"), file.resolve(env::get, null, null, () -> "http://local"));

        env.put("JOBPLANE_URL", "http://env:8080");
        env.put("JOBPLANE_WORKSPACE", "env-ws");
        env.put("JOBPLANE_TOKEN", "env-token");
        assertEquals(new UserConfig("http://env:8080", "env-ws", "env-token"), file.resolve(env::get, null, null, () -> "http://local"));
        assertEquals(new UserConfig("http://opt:8080", "opt-ws", "env-token"),
                file.resolve(env::get, "http://opt:8080", "opt-ws", () -> "http://local"));

        env.clear();
        env.put("JOBPLANE_URL", "  ");
        assertEquals(new UserConfig("http://local", null, null), UserConfig.EMPTY.resolve(env::get, null, null, () -> "http://local"));
    }

    @Test
    void withoutWorkspaceOrTokenTheFailureSaysWhatToDo() {
        assertTrue(assertThrows(CliFailure.class, UserConfig.EMPTY::requireWorkspace).getMessage().contains("--workspace"));
        assertTrue(assertThrows(CliFailure.class, UserConfig.EMPTY::requireToken).getMessage().contains("jobplane login"));
    }

    @Test
    void theSavedFileIsOwnerOnlyAndReadsBack() throws Exception {
        Path file = UserConfig.file(env::get, home);
        new UserConfig("http://127.0.0.1:8080", "demo", "s3cret-token").save(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(new UserConfig("http://127.0.0.1:8080", "demo", "s3cret-token"), UserConfig.load(file));

        new UserConfig("http://127.0.0.1:8080", "finance", "other").save(file);
        assertEquals("finance", UserConfig.load(file).workspace(), "a second login replaces the file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(UserConfig.EMPTY, UserConfig.load(home.resolve("missing.json")));
    }

    @Test
    void theTokenNeverShowsInTheRecordsText() {
        assertFalse(new UserConfig("u", "w", "s3cret-token").toString().contains("s3cret"));
    }

    @Test
    void aBrokenFileIsNamedWithItsFix() throws Exception {
        Path file = home.resolve("config.json");
        Files.writeString(file, "{not json");
        CliFailure e = assertThrows(CliFailure.class, () -> UserConfig.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("jobplane login"), e.getMessage());
    }
}
