/**
 * Deliveries authenticated by a bearer JWT (OAuth 2.0 / OIDC), on Nimbus JOSE+JWT: {@link
 * io.hookwarden.jwt.JwtSchemes} builds the schemes (a general bearer JWT scheme and the Google Cloud Pub/Sub push
 * preset), {@link io.hookwarden.jwt.JwtFixtures} signs test deliveries with generated keys and serves a JWKS on
 * loopback. The rest of the package is implementation.
 */
package io.hookwarden.jwt;
