package dev.vqamini.cli;

import java.net.http.HttpRequest;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --token JWT} for commands that change something over HTTP (POST /videos, POST /prune-jobs): default
 * {@code $VQA_TOKEN} (better than the flag, which other users may see in the process list). Sent as
 * {@code Authorization: Bearer} when set; services with {@code vqa.auth.enabled=true} need it, others ignore it.
 * {@code vqa token mint} makes one.
 */
public final class TokenOption {

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:VQA_TOKEN}",
            description = "Bearer token for services with vqa.auth.enabled=true (default: $VQA_TOKEN; vqa token mint makes one).")
    public String token;

    public Optional<String> token() {
        return Optional.ofNullable(token).map(String::strip).filter(t -> !t.isEmpty());
    }

    /** Adds {@code Authorization: Bearer <token>} when a token is set; the builder either way. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    /** For code that may run without the mixin (tests, other callers): no token. */
    public static TokenOption none() {
        return new TokenOption();
    }
}
