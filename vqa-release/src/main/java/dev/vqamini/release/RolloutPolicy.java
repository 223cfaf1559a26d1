package dev.vqamini.release;

import dev.vqamini.wire.proto.Rollout;
import dev.vqamini.wire.proto.RolloutCandidate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Which version scores a video: a pure function of the video id and the rollout, so every scorer instance and every
 * restart agrees. The id hashes (SHA-256) to a position in [0, 1); each candidate owns the fixed sub-range
 * [range_start, range_start + weight), the stable version the rest. Since a candidate's range keeps its start when
 * reweighted, changing a weight from w1 to w2 moves exactly |w2 - w1| of the videos. The shadow share is drawn
 * from an independent hash, so shadowing never correlates with the A/B split.
 */
public final class RolloutPolicy {

    /** The version that scores a video, and the shadow version that scores it as well, if any. */
    public record Assignment(String version, Optional<String> shadow) {
    }

    private RolloutPolicy() {
    }

    public static Assignment assign(String videoId, Rollout rollout) {
        double p = position(videoId, "");
        String version = rollout.getStableVersion();
        for (RolloutCandidate c : rollout.getCandidatesList()) {
            if (p >= c.getRangeStart() && p < c.getRangeStart() + c.getTrafficWeight()) {
                version = c.getModelVersion();
                break;
            }
        }
        Optional<String> shadow = !rollout.getShadowVersion().isEmpty() && !rollout.getShadowVersion().equals(version)
                && position(videoId, "shadow:") < rollout.getShadowFraction()
                ? Optional.of(rollout.getShadowVersion()) : Optional.empty();
        return new Assignment(version, shadow);
    }

    /** The id's position in [0, 1): the first 53 bits of SHA-256(salt + id). */
    static double position(String videoId, String salt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((salt + videoId).getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
