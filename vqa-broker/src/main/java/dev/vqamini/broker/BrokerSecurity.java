package dev.vqamini.broker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may use a secured {@link LocalKafkaBroker}: an admin (a super user: creates topics, writes ACLs, and is the
 * identity the broker itself uses towards its controller and for inter-broker traffic) and any number of ordinary
 * users, all SCRAM-SHA-512 credentials created when the storage is formatted. Ordinary users can do nothing until
 * the admin grants them ACLs (the broker runs Kafka's {@code StandardAuthorizer}, which denies what no ACL allows).
 *
 * <pre>{@code
 * BrokerSecurity users = BrokerSecurity.admin("admin", "admin-secret").withUser("scorer", "scorer-secret");
 * try (LocalKafkaBroker broker = LocalKafkaBroker.startSecured(users)) {
 *     Map<String, String> tls = broker.clientSecurity(); // + username/password of one user
 * }
 * }</pre>
 *
 * <p>Names and passwords are limited to letters, digits and {@code . _ - ~ + / @}, because Kafka's storage
 * formatter splits its SCRAM arguments on commas and the JAAS configs quote them. {@link #toString()} shows no
 * password.
 */
public final class BrokerSecurity {

    /** The SASL mechanism of the client listener. */
    public static final String CLIENT_MECHANISM = "SCRAM-SHA-512";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._~+/@-]+");

    private final String adminUser;
    private final String adminPassword;
    private final Map<String, String> users;

    private BrokerSecurity(String adminUser, String adminPassword, Map<String, String> users) {
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    /** A broker whose super user is {@code user}. */
    public static BrokerSecurity admin(String user, String password) {
        check("admin user name", user);
        check("password of " + user, password);
        return new BrokerSecurity(user, password, Map.of());
    }

    /** This set of users plus {@code user} (no ACLs yet: it may only authenticate). */
    public BrokerSecurity withUser(String user, String password) {
        check("user name", user);
        check("password of " + user, password);
        if (user.equals(adminUser) || users.containsKey(user)) {
            throw new IllegalArgumentException("Kafka user " + user + " is already defined");
        }
        Map<String, String> more = new LinkedHashMap<>(users);
        more.put(user, password);
        return new BrokerSecurity(adminUser, adminPassword, more);
    }

    public String adminUser() {
        return adminUser;
    }

    String adminPassword() {
        return adminPassword;
    }

    /** The formatter's SCRAM arguments: one per user, admin first. */
    List<String> scramArguments() {
        List<String> out = new ArrayList<>();
        out.add(scram(adminUser, adminPassword));
        users.forEach((u, p) -> out.add(scram(u, p)));
        return out;
    }

    private static String scram(String user, String password) {
        return CLIENT_MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    private static void check(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("Kafka " + what + " must be non-empty letters, digits or . _ - ~ + / @");
        }
    }

    @Override
    public String toString() {
        return "BrokerSecurity[SASL_SSL " + CLIENT_MECHANISM + ", admin=" + adminUser + ", users=" + users.keySet() + "]";
    }
}
