package dev.vqamini.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The external tools the deployment checks run (prometheus, promtool, kubectl or kustomize). Without one, its check is
 * skipped, unless {@code VQA_REQUIRE_DEPLOY_TOOLS} is set (CI sets it after installing them), where it fails.
 */
final class DeployTools {

    static final Path ROOT = Path.of(System.getProperty("vqa.root", "..")).toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");

    private DeployTools() {
    }

    /** The first of {@code names} on PATH, or the test is skipped (fails when the tools are required). */
    static Path require(String purpose, String... names) {
        for (String n : names) {
            Optional<Path> p = onPath(n);
            if (p.isPresent()) {
                return p.get();
            }
        }
        String message = "none of " + List.of(names) + " on PATH, needed to " + purpose + " (.ci/run installs them)";
        if (System.getenv("VQA_REQUIRE_DEPLOY_TOOLS") != null) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs a command in the repository root; its output (stdout and stderr), failing with it on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(command + " did not finish in 5 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(command + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
