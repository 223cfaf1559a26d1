package dev.vqamini.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import java.util.function.Function;

/**
 * Says at startup whether the endpoints that change something need a bearer token, and refuses to start with
 * {@code vqa.auth.enabled=true} but no key to verify tokens with (every request would be a 401, for no clear
 * reason). Verification itself is SmallRye JWT's ({@code mp.jwt.verify.*}).
 */
@ApplicationScoped
public class AuthAtStartup {

    private static final Logger LOG = Logger.getLogger(AuthAtStartup.class);

    /** Where SmallRye JWT may find the verification key; one of them must be set when auth is on. */
    static final List<String> KEY_PROPERTIES = List.of("mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey",
            "smallrye.jwt.verify.key.location");

    private final VqaConfig config;

    AuthAtStartup(VqaConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        Config all = ConfigProvider.getConfig();
        check(config.auth().enabled(), name -> all.getOptionalValue(name, String.class));
        if (config.auth().enabled()) {
            LOG.infof("vqa.auth.enabled=true: POST, PUT, PATCH and DELETE need a bearer token (issuer %s); /q/metrics %s",
                    all.getOptionalValue("mp.jwt.verify.issuer", String.class).orElse("not checked"),
                    config.auth().metricsOpen() ? "open" : "needs a token");
        } else {
            LOG.info("vqa.auth.enabled=false: every endpoint is open (set vqa.auth.enabled=true and "
                    + "mp.jwt.verify.publickey.location to require bearer tokens)");
        }
    }

    /** Throws when auth is on and none of {@link #KEY_PROPERTIES} has a value. */
    static void check(boolean enabled, Function<String, Optional<String>> lookup) {
        if (enabled && KEY_PROPERTIES.stream().map(lookup).noneMatch(v -> v.filter(s -> !s.isBlank()).isPresent())) {
            throw new IllegalStateException("vqa.auth.enabled=true but no key to verify tokens: set "
                    + "mp.jwt.verify.publickey.location (MP_JWT_VERIFY_PUBLICKEY_LOCATION) to a PEM public key or a JWKS "
                    + "(file or URL; vqa token keys writes a pair)");
        }
    }
}
