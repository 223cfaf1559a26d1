package dev.vqamini.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster's controllers, as {@code controller.quorum.voters} names them: {@code 1@HOST:PORT,2@HOST:PORT,...}.
 * Every node of one cluster is given the same list, and formats its storage with the cluster id derived from it, so
 * nodes started apart agree without a coordinator.
 */
public record KraftVoters(List<Voter> voters) {

    /** One controller: its node id and the address of its controller listener. */
    public record Voter(int id, String host, int port) {
    }

    public KraftVoters {
        voters = List.copyOf(voters);
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("no controllers");
        }
    }

    /**
     * Parses {@code 1@HOST:PORT,2@HOST:PORT,...}.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code ID@HOST:PORT}
     */
    public static KraftVoters parse(String list) {
        List<Voter> voters = new ArrayList<>();
        for (String entry : list.split(",")) {
            String e = entry.trim();
            int at = e.indexOf('@');
            int colon = e.lastIndexOf(':');
            try {
                if (at < 1 || colon < at + 2) {
                    throw new NumberFormatException();
                }
                voters.add(new Voter(Integer.parseInt(e.substring(0, at)), e.substring(at + 1, colon),
                        Integer.parseInt(e.substring(colon + 1))));
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("controller '" + e + "' is not ID@HOST:PORT (e.g. 1@127.0.0.1:19091)");
            }
        }
        if (voters.stream().map(Voter::id).distinct().count() != voters.size()) {
            throw new IllegalArgumentException("controller ids repeat in " + list);
        }
        return new KraftVoters(voters);
    }

    /** The controller entry of node {@code id}, if it is a controller. */
    public Optional<Voter> voter(int id) {
        return voters.stream().filter(v -> v.id() == id).findFirst();
    }

    /** As {@code controller.quorum.voters} takes it. */
    @Override
    public String toString() {
        return String.join(",", voters.stream().map(v -> v.id() + "@" + v.host() + ":" + v.port()).toList());
    }

    /** The cluster id every node of this quorum formats with: derived from the voter list, the same on every node. */
    public String clusterId() {
        try {
            ByteBuffer hash = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8)));
            return new Uuid(hash.getLong(), hash.getLong()).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
