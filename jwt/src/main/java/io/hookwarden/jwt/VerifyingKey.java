package io.hookwarden.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

/**
 * One public key a token may be verified with: an RSA or EC JWK, its JCA verifier built once. Never an HMAC secret, so
 * no token signed with {@code HS256} (over a public key's bytes, the algorithm-confusion attack) can verify with it.
 * Immutable and thread-safe: Nimbus' verifiers keep no state between calls.
 */
final class VerifyingKey {
    /** The label the verified delivery names: the {@code Keys} label of a configured key, the JWK's kid from a JWKS. */
    final String label;
    /** The JWK's {@code kid}, or null. */
    final String kid;

    private final JWK jwk;
    private final JWSVerifier verifier;

    private VerifyingKey(String label, JWK jwk, JWSVerifier verifier) {
        this.label = label;
        this.kid = jwk.getKeyID();
        this.jwk = jwk;
        this.verifier = verifier;
    }

    /**
     * The key, if it can verify signatures: an RSA (at least 2048 bits) or EC public key whose {@code use}, where
     * given, is {@code sig}.
     *
     * @throws IllegalArgumentException why it cannot, without the key
     */
    static VerifyingKey of(String label, JWK jwk) {
        if (jwk.isPrivate()) {
            throw new IllegalArgumentException("is a private key: give the public key (the JWK without its private"
                    + " members, or a PEM PUBLIC KEY)");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new IllegalArgumentException("is for use " + jwk.getKeyUse().identifier() + ", not sig");
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                if (rsa.size() < 2048) {
                    throw new IllegalArgumentException("is an RSA key of " + rsa.size() + " bits, under 2048");
                }
                return new VerifyingKey(label, jwk, new RSASSAVerifier(rsa));
            }
            if (jwk instanceof ECKey ec) {
                return new VerifyingKey(label, jwk, new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("is not a usable " + jwk.getKeyType() + " public key");
        }
        throw new IllegalArgumentException(
                "is a " + jwk.getKeyType() + " key; only RSA and EC public keys verify tokens here");
    }

    /**
     * Whether this key may verify a token signed with {@code algorithm}: its family (RSA for RS and PS, EC of the
     * algorithm's own curve for ES), and the JWK's own {@code alg} where it names one.
     */
    boolean fits(JWSAlgorithm algorithm) {
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(algorithm)) {
            return false;
        }
        if (jwk instanceof RSAKey) {
            return JWSAlgorithm.Family.RSA.contains(algorithm);
        }
        ECKey ec = (ECKey) jwk;
        return JWSAlgorithm.Family.EC.contains(algorithm)
                && Curve.forJWSAlgorithm(algorithm).contains(ec.getCurve());
    }

    /** Whether {@code jwt}'s signature was made with this key; any failure to check is a no. */
    boolean verifies(SignedJWT jwt) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "VerifyingKey[" + label + "]";
    }
}
