package io.hookwarden.jwt;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys as a user writes them in a key set: a JWK, a JWK set ({@code {"keys": [...]}}), or PEM ({@code PUBLIC KEY} or
 * {@code CERTIFICATE} blocks, one or several). Messages say what is wrong, never the key.
 */
final class KeyText {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private KeyText() {}

    /**
     * The public keys in {@code text}, each labelled {@code label}.
     *
     * @throws IllegalArgumentException if the text holds no usable key, or one that is not
     */
    static List<VerifyingKey> verifying(String label, String text) {
        String what = "key " + label + " for a JWT scheme";
        String trimmed = text.strip();
        List<VerifyingKey> keys = new ArrayList<>();
        try {
            if (trimmed.startsWith("{")) {
                for (JWK jwk : jwks(trimmed)) {
                    keys.add(VerifyingKey.of(label, jwk));
                }
            } else if (trimmed.startsWith("-----BEGIN ")) {
                for (PublicKey key : pem(trimmed)) {
                    keys.add(VerifyingKey.of(label, jwk(key)));
                }
            } else {
                throw new IllegalArgumentException(
                        "is neither a JWK, a JWK set nor PEM (-----BEGIN PUBLIC KEY----- or CERTIFICATE)");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(what + " holds no key");
        }
        return keys;
    }

    /**
     * The private key in {@code text}: a JWK with its private members (RSA or EC), as {@link JwtFixtures} writes one.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static JWK signing(String label, String text) {
        String trimmed = text.strip();
        JWK jwk;
        try {
            jwk = trimmed.startsWith("{") ? JWK.parse(trimmed) : null;
        } catch (java.text.ParseException | RuntimeException e) {
            jwk = null;
        }
        if (jwk == null || !jwk.isPrivate() || !(jwk instanceof RSAKey || jwk instanceof ECKey)) {
            throw new IllegalArgumentException("signing key " + label
                    + " for a JWT scheme is not an RSA or EC private key as a JWK (JwtFixtures.rsaKey() makes one)");
        }
        return jwk;
    }

    private static List<JWK> jwks(String json) {
        try {
            if (json.contains("\"keys\"")) {
                return JWKSet.parse(json).getKeys();
            }
            return List.of(JWK.parse(json));
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("is not a valid JWK or JWK set");
        }
    }

    private static List<PublicKey> pem(String text) {
        List<PublicKey> keys = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        int end = 0;
        while (m.find()) {
            if (!text.substring(end, m.start()).isBlank()) {
                throw new IllegalArgumentException("has text between its PEM blocks");
            }
            end = m.end();
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("has a PEM block that is not base64");
            }
            keys.add(
                    switch (m.group(1)) {
                        case "PUBLIC KEY" -> publicKey(der);
                        case "CERTIFICATE" -> certificateKey(der);
                        default -> throw new IllegalArgumentException(
                                "has a PEM " + m.group(1) + " block; only PUBLIC KEY and CERTIFICATE verify tokens");
                    });
        }
        if (!text.substring(end).isBlank() || keys.isEmpty()) {
            throw new IllegalArgumentException("is not well-formed PEM");
        }
        return keys;
    }

    private static PublicKey publicKey(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("has a PUBLIC KEY that is neither RSA nor EC");
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("has a CERTIFICATE that is not X.509");
        }
    }

    private static JWK jwk(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("is an EC key on a curve JWS does not use");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        throw new IllegalArgumentException("is a " + key.getAlgorithm() + " key; only RSA and EC verify tokens");
    }
}
