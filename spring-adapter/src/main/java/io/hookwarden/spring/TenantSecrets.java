package io.hookwarden.spring;

import java.util.List;
import java.util.Optional;

/**
 * Where an endpoint with per-tenant keys reads a tenant's secrets, as a bean that {@code
 * hookwarden.endpoints.<name>.tenants.bean} names: from a secret manager, a database, the environment. Called with a
 * tenant's name the first time it is seen and after every {@code tenants.refresh-after}, one call per tenant at a time
 * (see {@link io.hookwarden.TenantKeys}).
 */
@FunctionalInterface
public interface TenantSecrets {
    /**
     * The tenant's secrets, several while it rotates.
     *
     * @param tenant the tenant the delivery names, 1 to 128 of {@code A-Z a-z 0-9 . _ ~ -}
     * @return the secrets exactly as the provider shows them; empty for a tenant that does not exist (answered as a
     *     wrong signature, 401)
     * @throws RuntimeException when the source cannot answer: the cached secrets go on serving, or the delivery is
     *     answered 503 so the provider retries; only the exception's type is logged
     */
    Optional<List<String>> secrets(String tenant);
}
