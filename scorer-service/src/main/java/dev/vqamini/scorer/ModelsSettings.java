package dev.vqamini.scorer;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** {@code vqa.models.*}: which model versions this scorer accepts from vqa.models. */
@ConfigMapping(prefix = "vqa.models")
public interface ModelsSettings {

    /**
     * Ed25519 public key (PEM): only versions whose manifest is signed with the matching private key are served;
     * unset: unsigned versions are served too.
     */
    Optional<Path> verifyKey();
}
