package dev.meridian.api.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Looks up the secret access key for an access key id.
 *
 * <p>Kept as a one-method interface so the verifier stays a pure function of its inputs: the
 * server can back it by configuration, a cluster-replicated table or a test map, and several
 * keys may be active at once (for rotation).
 */
@FunctionalInterface
public interface CredentialsProvider {

    /** The secret for {@code accessKeyId}, or empty when the key is unknown or disabled. */
    Optional<String> secretFor(String accessKeyId);

    /** A provider over a fixed map of access key id to secret. */
    static CredentialsProvider of(Map<String, String> secrets) {
        Map<String, String> copy = Map.copyOf(secrets);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
