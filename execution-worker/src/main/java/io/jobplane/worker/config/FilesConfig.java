package io.jobplane.worker.config;

import java.util.List;
import java.util.Optional;

import io.jobplane.events.files.FileRoots;
import io.smallrye.config.ConfigMapping;

/** Where {@code filesystem} connections may lead on this worker: {@code jobplane.worker.files.*}. */
@ConfigMapping(prefix = "jobplane.worker.files")
public interface FilesConfig {

    /**
     * The directories filesystem connections' base paths must be under (real paths, links
     * resolved). None configured: every filesystem job fails with {@code BASE_PATH_NOT_ALLOWED}.
     */
    Optional<List<String>> roots();

    default FileRoots fileRoots() {
        return FileRoots.of(roots().orElse(List.of()));
    }
}
