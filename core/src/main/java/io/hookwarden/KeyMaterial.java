package io.hookwarden;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * A decoded key: HMAC secret, shared token, Ed25519 or ECDSA P-256 public or private key, RSA private key, the
 * certificate a message names (AWS SNS), or a key an {@link io.hookwarden.spi.Authenticator} decoded. Never printed.
 */
abstract sealed class KeyMaterial
        permits KeyMaterial.Hmac,
                KeyMaterial.NamedHmac,
                KeyMaterial.Token,
                KeyMaterial.Ed25519Public,
                KeyMaterial.Ed25519Private,
                KeyMaterial.EcPublic,
                KeyMaterial.EcPrivate,
                KeyMaterial.Plugged,
                KeyMaterial.RsaPrivate,
                KeyMaterial.MessageCertificate {
    /** ASN.1 prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before the 32 raw key bytes. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** ASN.1 prefix of an Ed25519 PKCS#8 private key (RFC 8410) before the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
    };

    private static final ECParameterSpec P256 = p256();

    final String label;

    private KeyMaterial(String label) {
        this.label = label;
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + label + "]";
    }

    /** An HMAC secret with a pool of initialised {@link Mac}s per algorithm it is used with. */
    static final class Hmac extends KeyMaterial {
        private final byte[] key;
        private final java.util.concurrent.atomic.AtomicReferenceArray<MacPool> pools =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(HmacAlgorithm.values().length);

        Hmac(String label, byte[] key) {
            super(label);
            this.key = key.clone();
        }

        /** Initialises the pool for {@code algorithm}, so the first delivery does not pay for it. */
        Hmac prepare(HmacAlgorithm algorithm) {
            pool(algorithm);
            return this;
        }

        private MacPool pool(HmacAlgorithm algorithm) {
            MacPool pool = pools.get(algorithm.ordinal());
            if (pool == null) {
                pools.compareAndSet(algorithm.ordinal(), null, new MacPool(algorithm, key));
                pool = pools.get(algorithm.ordinal());
            }
            return pool;
        }

        byte[] mac(
                HmacAlgorithm algorithm,
                ContentTemplate template,
                String id,
                String timestamp,
                byte[] body,
                String url) {
            MacPool pool = pool(algorithm);
            Mac mac = pool.take();
            try {
                template.write(mac::update, id, timestamp, body, url);
                return mac.doFinal();
            } finally {
                pool.give(mac);
            }
        }
    }

    /** An Ed25519 public key, for verifying. */
    static final class Ed25519Public extends KeyMaterial {
        private final PublicKey key;

        /** @param raw the 32-byte key, or its 44-byte SubjectPublicKeyInfo DER encoding */
        Ed25519Public(String label, byte[] raw) {
            super(label);
            byte[] der = raw.length == 32 ? concat(SPKI_PREFIX, raw) : raw;
            if (der.length != 44 || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
                throw new IllegalArgumentException(
                        "is not an Ed25519 public key (32 raw bytes or 44-byte SPKI DER), " + raw.length + " bytes");
            }
            try {
                this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                Signature.getInstance("Ed25519").initVerify(key); // decodes the point: refuse one off the curve now
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("is not a valid Ed25519 public key");
            }
        }

        boolean verify(ContentTemplate template, String id, String timestamp, byte[] body, String url, byte[] sig) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                template.write(bytes -> update(verifier, bytes), id, timestamp, body, url);
                return verifier.verify(sig);
            } catch (GeneralSecurityException | IllegalStateException e) {
                return false; // a malformed signature is a mismatch, not an error
            }
        }
    }

    /** An Ed25519 private key, for signing (test fixtures, the CLI). */
    static final class Ed25519Private extends KeyMaterial {
        private final PrivateKey key;

        /** @param raw the 32-byte seed, or seed followed by the 32-byte public key (Svix {@code whsk_}) */
        Ed25519Private(String label, byte[] raw) {
            super(label);
            if (raw.length != 32 && raw.length != 64) {
                throw new IllegalArgumentException(
                        "is not an Ed25519 private key (32-byte seed or 64-byte seed and public key), " + raw.length
                                + " bytes");
            }
            try {
                this.key = KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, Arrays.copyOf(raw, 32))));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("is not a valid Ed25519 private key");
            }
            if (raw.length == 64 && !publicHalfMatches(Arrays.copyOfRange(raw, 32, 64))) {
                throw new IllegalArgumentException("is an Ed25519 seed followed by a public key that is not its own");
            }
        }

        /** Signs a probe with the seed and checks it against the public half given with it (Svix {@code whsk_}). */
        private boolean publicHalfMatches(byte[] publicKey) {
            ContentTemplate probe = ContentTemplate.parse("{body}");
            byte[] message = {'k', 'e', 'y', '-', 'c', 'h', 'e', 'c', 'k'};
            try {
                return new Ed25519Public(label, publicKey)
                        .verify(probe, null, null, message, null, sign(probe, null, null, message, null));
            } catch (IllegalArgumentException notAKey) {
                return false;
            }
        }

        byte[] sign(ContentTemplate template, String id, String timestamp, byte[] body, String url) {
            try {
                Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(key);
                template.write(bytes -> update(signer, bytes), id, timestamp, body, url);
                return signer.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            }
        }
    }

    /**
     * An HMAC secret that the provider names by a public identifier sent with each signature (Braintree's public key,
     * with the private key hashed into the HMAC key).
     */
    static final class NamedHmac extends KeyMaterial {
        final String name;
        final Hmac hmac;

        NamedHmac(String label, String name, byte[] key) {
            super(label);
            this.name = name;
            this.hmac = new Hmac(label, key);
        }
    }

    /** A shared token sent as it is (GitLab's {@code X-Gitlab-Token}): compared, never used as a MAC key. */
    static final class Token extends KeyMaterial {
        private final byte[] token;
        private final byte[] digest;

        Token(String label, byte[] token) {
            super(label);
            this.token = token.clone();
            this.digest = Codec.sha256().digest(token);
        }

        /**
         * Whether {@code offered} is the token: their SHA-256 digests compared with {@link
         * java.security.MessageDigest#isEqual}, so the time taken depends on neither the token nor its length.
         */
        boolean matchesDigestOf(byte[] offered) {
            return Codec.digestEquals(digest, offered);
        }

        /** The token as text (its UTF-8 bytes decoded), for a query parameter or Basic credentials. */
        String text() {
            return new String(token, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** A SHA-256 digest that has read the token: HubSpot's v1 and v2 signatures hash the secret, then the request. */
        java.security.MessageDigest digestAfterToken() {
            java.security.MessageDigest digest = Codec.sha256();
            digest.update(token);
            return digest;
        }

        /** The token's bytes in base64, for Basic credentials given as {@code user:password}. */
        String base64() {
            return java.util.Base64.getEncoder().encodeToString(token);
        }

        /** Whether {@code source[start, end)} is the token, in time that depends only on the lengths. */
        boolean matches(Scheme.OfferedSignature candidate) {
            return candidate.matches(token, false);
        }

        /** The token as header text (its UTF-8 bytes read as Latin-1, as a server decodes a header). */
        String headerValue() {
            return new String(token, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** An ECDSA P-256 public key (SendGrid), from its X.509 SubjectPublicKeyInfo DER encoding. */
    static final class EcPublic extends KeyMaterial {
        private final PublicKey key;

        EcPublic(String label, byte[] spki) {
            super(label);
            try {
                PublicKey decoded = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
                if (!(decoded instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
                    throw new IllegalArgumentException("is not an ECDSA P-256 public key");
                }
                if (!onP256(ec.getW())) {
                    throw new IllegalArgumentException(
                            "is not an ECDSA P-256 public key: its point is not on the curve");
                }
                this.key = decoded;
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("is not an ECDSA P-256 public key (base64 of its SPKI DER form)");
            }
        }

        /** Whether {@code der} is an ECDSA-SHA256 signature (ASN.1 DER) over the pieces. */
        boolean verify(byte[] der, byte[]... pieces) {
            try {
                Signature verifier = Signature.getInstance("SHA256withECDSA");
                verifier.initVerify(key);
                for (byte[] piece : pieces) {
                    verifier.update(piece);
                }
                return verifier.verify(der);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false; // a malformed signature is a mismatch, not an error
            }
        }
    }

    /** An ECDSA P-256 private key, from its PKCS#8 DER encoding, for signing (test fixtures, the CLI). */
    static final class EcPrivate extends KeyMaterial {
        private final PrivateKey key;

        EcPrivate(String label, byte[] pkcs8) {
            super(label);
            try {
                PrivateKey decoded = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                if (!(decoded instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
                    throw new IllegalArgumentException("is not an ECDSA P-256 private key");
                }
                this.key = decoded;
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("is not an ECDSA P-256 private key (base64 of its PKCS#8 DER form)");
            }
        }

        /** An ECDSA-SHA256 signature over the pieces, ASN.1 DER encoded. */
        byte[] sign(byte[]... pieces) {
            try {
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(key);
                for (byte[] piece : pieces) {
                    signer.update(piece);
                }
                return signer.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ECDSA signing failed", e);
            }
        }
    }

    /**
     * Whether {@code params} are those of P-256 (secp256r1, FIPS 186-4 D.1.2.3). A 256-bit field is not enough: the
     * JDK decodes secp256k1 and brainpoolP256r1 keys too, and refuses them only when a signature is checked.
     */
    /** An RSA private key, for signing (test fixtures): AWS SNS signs with RSA and the test kit stands in for it. */
    static final class RsaPrivate extends KeyMaterial {
        private final PrivateKey key;

        /** @param der the PKCS#8 DER encoding */
        RsaPrivate(String label, byte[] der) {
            super(label);
            try {
                this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("is not an RSA private key in PKCS#8 DER form");
            }
        }

        /** The signature over {@code content} with {@code algorithm}, such as {@code SHA256withRSA}. */
        byte[] sign(String algorithm, byte[] content) {
            try {
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(content);
                return signer.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " signing failed", e);
            }
        }
    }

    /**
     * No key of the endpoint's own: each message names the certificate that verifies it (AWS SNS's {@code
     * SigningCertURL}), which its scheme fetches, checks against this verifier's clock and caches. The endpoint has
     * exactly this one key, made by the verifier when the scheme needs no configured keys.
     */
    static final class MessageCertificate extends KeyMaterial {
        final java.time.Clock clock;

        MessageCertificate(String label, java.time.Clock clock) {
            super(label);
            this.clock = clock;
        }
    }

    static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve())
                && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder())
                && params.getCofactor() == P256.getCofactor();
    }

    /** Whether {@code w} is a point of P-256: coordinates below p satisfying y^2 = x^3 + ax + b (mod p). */
    static boolean onP256(ECPoint w) {
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) { // decoded from unsigned bytes: never negative
            return false;
        }
        BigInteger right = x.pow(3)
                .add(P256.getCurve().getA().multiply(x))
                .add(P256.getCurve().getB())
                .mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot provide the P-256 curve", e);
        }
    }

    private static void update(Signature signature, byte[] bytes) {
        try {
            signature.update(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A key decoded by an {@link io.hookwarden.spi.Authenticator}, held for it ({@link AuthenticatorScheme}). */
    static final class Plugged extends KeyMaterial {
        final Object key;

        Plugged(String label, Object key) {
            super(label);
            this.key = java.util.Objects.requireNonNull(key, "the authenticator decoded key " + label + " as null");
        }
    }
}
