package dev.vqamini.pruning.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code vqa.prune.*}: where pruning jobs write their bundles and how many ONNX Runtime threads each uses. */
@ConfigMapping(prefix = "vqa.prune")
public interface PruneSettings {

    /** Folder for the bundles jobs write (default: java.io.tmpdir/vqa-prune-jobs). */
    Optional<Path> workDir();

    /** ONNX Runtime intra-op threads per job; 0 uses every core. */
    @WithDefault("0")
    int threads();

    /**
     * Folders whose files jobs may name ({@code weights}, {@code calibrationDir}, {@code labels}) and whose
     * sub-folders are the datasets jobs name by {@code dataset}; empty: no server path is accepted.
     */
    Optional<List<Path>> allowedRoots();

    /** Ed25519 private key (PEM) that signs every published version's manifest; unset: versions go unsigned. */
    Optional<Path> signKey();
}
