package dev.vqamini.serving;

import static dev.vqamini.serving.TinyVersions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.bundle.BundleChunks;
import dev.vqamini.bundle.ManifestSignature;
import dev.vqamini.bundle.ServingBundle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.util.HashMap;

/**
 * A scorer with a verify key serves only versions whose manifest is signed with the matching Ed25519 key: an unsigned
 * version, one signed with another key and one whose manifest changed after signing are refused (check
 * {@code signature}) while the stable version keeps serving.
 */
class SignedVersionsTest {

    private final KeyPair ours = ManifestSignature.newKeyPair();
    private final KeyPair theirs = ManifestSignature.newKeyPair();
    private final List<ModelRefusedException> refusals = new CopyOnWriteArrayList<>();
    private ModelRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void onlyVersionsSignedWithTheVerifyKeyServe() throws Exception {
        registry = new ModelRegistry((version, archive) -> ServingModel.load(version, archive, ours.getPublic(),
                TinyVersions.CPU, TinyVersions.CLIP, TinyVersions.MAX_BATCH), new ModelRegistry.Listener() {
                    @Override
                    public void loaded(ServingModel model) {
                    }

                    @Override
                    public void refused(ModelRefusedException e) {
                        refusals.add(e);
                    }

                    @Override
                    public void retired(String version) {
                    }
                });
        offer("v1", signed("v1", ours));
        registry.update(TinyVersions.stable("v1"));
        await("v1 serving", () -> registry.servingVersions().equals(Set.of("v1")));

        offer("unsigned", TinyVersions.archive("unsigned"));
        offer("foreign", signed("foreign", theirs));
        offer("tampered", tampered(signed("tampered", ours)));
        for (String bad : List.of("unsigned", "foreign", "tampered")) {
            registry.update(TinyVersions.stable(bad)); // promoted: still refused, v1 keeps serving
            await(bad + " refused", () -> registry.refusedVersions().contains(bad));
            assertEquals(Set.of("v1"), registry.servingVersions(), "after " + bad);
            assertTrue(registry.stableServing());
            try (ModelRegistry.Lease l = registry.leaseStable().orElseThrow()) {
                assertEquals("v1", l.model().version());
            }
        }
        assertEquals(3, refusals.size());
        Map<String, String> reasons = new HashMap<>();
        refusals.forEach(e -> {
            assertEquals(RefusalCheck.SIGNATURE, e.check(), e.getMessage());
            reasons.put(e.version(), e.getMessage());
        });
        assertTrue(reasons.get("unsigned").contains("unsigned"), reasons.toString());
        assertTrue(reasons.get("foreign").contains("not a signature of its manifest"), reasons.toString());
        assertTrue(reasons.get("tampered").contains("not a signature of its manifest"), reasons.toString());

        offer("v2", signed("v2", ours));
        registry.update(TinyVersions.stable("v2"));
        await("v2 serving", () -> registry.servingVersions().equals(Set.of("v2")));
    }

    private void offer(String version, byte[] archive) {
        BundleChunks.split(TinyVersions.MODEL, version, archive).forEach(registry::offer);
    }

    /** The version's serving archive with manifest.sig added, signed by {@code key}. */
    private static byte[] signed(String version, KeyPair key) throws Exception {
        ServingBundle b = ServingBundle.read(TinyVersions.archive(version));
        String signature = ManifestSignature.sign(b.manifestJson(), key.getPrivate());
        return rewrite(TinyVersions.archive(version), Map.of(ManifestSignature.FILE, signature.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The archive with its manifest changed after signing (a parameter count raised), checksums still right. */
    private static byte[] tampered(byte[] archive) throws Exception {
        String manifest = new String(ServingBundle.read(archive).manifestJson(), StandardCharsets.UTF_8);
        String changed = manifest.replaceFirst("\"parameters\" : (\\d+)", "\"parameters\" : 1$1");
        assertTrue(!changed.equals(manifest), "manifest not changed: " + manifest);
        return rewrite(archive, Map.of(ServingBundle.MANIFEST, changed.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] rewrite(byte[] archive, Map<String, byte[]> replace) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!replace.containsKey(e.getName())) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
            for (Map.Entry<String, byte[]> r : replace.entrySet()) {
                zip.putNextEntry(new ZipEntry(r.getKey()));
                zip.write(r.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
