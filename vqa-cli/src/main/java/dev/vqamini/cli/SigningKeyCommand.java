package dev.vqamini.cli;

import dev.vqamini.bundle.ManifestSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vqa signing-key}: an Ed25519 key pair for signing model versions. */
@Command(name = "signing-key", mixinStandardHelpOptions = true,
        description = {"Make an Ed25519 key pair for signing model versions: DIR/signing.pem (private, PKCS#8, readable by",
                "you only) for 'vqa publish --sign-key' and pruning-service's vqa.prune.sign-key, DIR/verify.pem (public)",
                "for scorers' vqa.models.verify-key. An existing pair is never overwritten."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:written", "1:a key is already there"})
public final class SigningKeyCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for signing.pem and verify.pem.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path privateKey = out.resolve("signing.pem");
        Path publicKey = out.resolve("verify.pem");
        if (Files.exists(privateKey) || Files.exists(publicKey)) {
            System.err.println("signing-key: " + out + " already holds a key; remove it first or choose another --out");
            return 1;
        }
        Files.createDirectories(out);
        ManifestSignature.writeKeys(ManifestSignature.newKeyPair(), privateKey, publicKey);
        System.out.println("private key (keep secret): " + privateKey);
        System.out.println("public key (for scorers' vqa.models.verify-key): " + publicKey);
        return 0;
    }
}
