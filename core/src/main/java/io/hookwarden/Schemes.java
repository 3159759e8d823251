package io.hookwarden;

import java.util.List;
import java.util.Objects;

/**
 * The built-in schemes, by factory method or by stable id.
 *
 * <table>
 *   <caption>Built-in schemes</caption>
 *   <tr><th>id</th><th>signature header</th><th>secret</th><th>window</th></tr>
 *   <tr><td>{@code standard-webhooks}</td><td>{@code webhook-signature} ({@code v1} HMAC, {@code v1a} Ed25519)</td>
 *       <td>{@code whsec_} (base64), {@code whpk_} / {@code whsk_}</td><td>two-sided</td></tr>
 *   <tr><td>{@code svix}</td><td>{@code svix-signature}, else {@code webhook-signature}</td><td>as above</td>
 *       <td>two-sided</td></tr>
 *   <tr><td>{@code stripe}</td><td>{@code Stripe-Signature} ({@code t=..,v1=..})</td><td>{@code whsec_...} as UTF-8</td>
 *       <td>two-sided</td></tr>
 *   <tr><td>{@code github}</td><td>{@code X-Hub-Signature-256} ({@code sha256=} hex)</td><td>UTF-8</td>
 *       <td>none (unsigned time)</td></tr>
 *   <tr><td>{@code slack}</td><td>{@code X-Slack-Signature} ({@code v0=} hex over {@code v0:ts:body})</td>
 *       <td>UTF-8</td><td>two-sided</td></tr>
 *   <tr><td>{@code shopify}</td><td>{@code X-Shopify-Hmac-Sha256} (base64)</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code twilio}</td><td>{@code X-Twilio-Signature} (base64 HMAC-SHA1 over URL + params)</td>
 *       <td>auth token, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code paddle}</td><td>{@code Paddle-Signature} ({@code ts=..;h1=..})</td><td>UTF-8</td>
 *       <td>two-sided</td></tr>
 *   <tr><td>{@code square}</td><td>{@code x-square-hmacsha256-signature} (base64 over URL + body)</td><td>UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code zoom}</td><td>{@code x-zm-signature} ({@code v0=} hex)</td><td>UTF-8</td><td>two-sided</td></tr>
 *   <tr><td>{@code linear}</td><td>{@code Linear-Signature} (hex)</td><td>UTF-8</td>
 *       <td>two-sided, body {@code webhookTimestamp} (ms)</td></tr>
 *   <tr><td>{@code mailgun}</td><td>body {@code signature} object</td><td>UTF-8</td><td>two-sided</td></tr>
 *   <tr><td>{@code meta}</td><td>{@code X-Hub-Signature-256}</td><td>app secret, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code gitlab}</td><td>{@code X-Gitlab-Token} (the token itself)</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code discord}</td><td>{@code X-Signature-Ed25519} (hex)</td><td>hex Ed25519 public key</td>
 *       <td>two-sided</td></tr>
 *   <tr><td>{@code sendgrid}</td><td>{@code X-Twilio-Email-Event-Webhook-Signature} (base64 DER ECDSA)</td>
 *       <td>base64 SPKI P-256 public key</td><td>two-sided</td></tr>
 *   <tr><td>{@code sns}</td><td>body {@code Signature} (RSA, certificate at {@code SigningCertURL})</td>
 *       <td>none: fetched from an SNS host</td><td>two-sided, body {@code Timestamp}</td></tr>
 *   <tr><td>{@code x}</td><td>{@code x-twitter-webhooks-signature} ({@code sha256=} base64)</td>
 *       <td>consumer secret, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code hmac}</td><td>configured ({@link #hmac()})</td><td>configured</td><td>configured</td></tr>
 *   <tr><td>{@code token}</td><td>a static token ({@link #token()}): {@code Authorization: Bearer} by default</td>
 *       <td>the token, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code openai}, {@code replicate}</td><td>{@code webhook-signature} (Standard Webhooks)</td>
 *       <td>{@code whsec_}</td><td>two-sided</td></tr>
 *   <tr><td>{@code clerk}, {@code resend}</td><td>{@code svix-signature}, else {@code webhook-signature}</td>
 *       <td>{@code whsec_}</td><td>two-sided</td></tr>
 *   <tr><td>{@code polar}</td><td>{@code webhook-signature} (Standard Webhooks)</td>
 *       <td>UTF-8 (or {@code whsec_})</td><td>two-sided</td></tr>
 * </table>
 */
public final class Schemes {
    private static final Scheme STANDARD_WEBHOOKS = new StandardWebhooksScheme(
            "standard-webhooks", List.of("webhook-"), StandardWebhooksScheme.SecretFormat.WHSEC);
    private static final Scheme SVIX =
            new StandardWebhooksScheme("svix", List.of("svix-", "webhook-"), StandardWebhooksScheme.SecretFormat.WHSEC);
    private static final Scheme STRIPE = new StripeScheme();
    private static final HmacScheme GITHUB = github(false);
    private static final HmacScheme GITHUB_SHA1 = github(true);
    private static final HmacScheme SLACK = HmacScheme.builder()
            .id("slack")
            .signatureHeader("X-Slack-Signature")
            .prefix("v0=")
            .signedContent("v0:{timestamp}:{body}")
            .timestampHeader("X-Slack-Request-Timestamp")
            .idPointer("/event_id")
            .eventTypePointers("/event/type", "/type")
            .afterVerify(Handshakes::slack)
            .build();
    private static final HmacScheme HMAC = HmacScheme.builder().build();
    private static final HmacScheme SHOPIFY = HmacScheme.builder()
            .id("shopify")
            .signatureHeader("X-Shopify-Hmac-Sha256")
            .encoding(SignatureEncoding.BASE64)
            .idHeader("X-Shopify-Webhook-Id")
            .eventTypeHeader("X-Shopify-Topic")
            .build();
    private static final HmacScheme X = x(8);
    private static final TwilioScheme TWILIO = new TwilioScheme(PublicUrl.DIRECT, 8);
    private static final Scheme PADDLE = new PaddleScheme();
    private static final SquareScheme SQUARE = new SquareScheme(null, PublicUrl.DIRECT);
    private static final Scheme ZOOM = new ZoomScheme();
    private static final Scheme LINEAR = new LinearScheme();
    private static final Scheme MAILGUN = new MailgunScheme();
    private static final MetaScheme META = new MetaScheme(null);
    private static final Scheme GITLAB = new GitlabScheme();
    private static final Scheme DISCORD = new DiscordScheme();
    private static final Scheme SENDGRID = new SendgridScheme();
    private static final SnsScheme SNS = new SnsScheme();
    private static final TokenScheme TOKEN = TokenScheme.builder().build();
    private static final Scheme OPENAI =
            new StandardWebhooksScheme("openai", List.of("webhook-"), StandardWebhooksScheme.SecretFormat.WHSEC);
    private static final Scheme REPLICATE =
            new StandardWebhooksScheme("replicate", List.of("webhook-"), StandardWebhooksScheme.SecretFormat.WHSEC);
    private static final Scheme CLERK = new StandardWebhooksScheme(
            "clerk", List.of("svix-", "webhook-"), StandardWebhooksScheme.SecretFormat.WHSEC);
    private static final Scheme RESEND = new StandardWebhooksScheme(
            "resend", List.of("svix-", "webhook-"), StandardWebhooksScheme.SecretFormat.WHSEC);
    private static final Scheme POLAR = new StandardWebhooksScheme(
            "polar", List.of("webhook-"), StandardWebhooksScheme.SecretFormat.UTF8_UNLESS_WHSEC);

    private static final List<String> IDS = List.of(
            "standard-webhooks",
            "svix",
            "stripe",
            "github",
            "slack",
            "shopify",
            "twilio",
            "paddle",
            "square",
            "zoom",
            "linear",
            "mailgun",
            "meta",
            "gitlab",
            "discord",
            "sendgrid",
            "sns",
            "x",
            "openai",
            "replicate",
            "clerk",
            "resend",
            "polar",
            "token",
            "hmac");

    private Schemes() {}

    /** Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
    public static Scheme standardWebhooks() {
        return STANDARD_WEBHOOKS;
    }

    /** Svix: the Standard Webhooks algorithm with {@code svix-*} headers, falling back to {@code webhook-*}. */
    public static Scheme svix() {
        return SVIX;
    }

    /** Stripe: {@code Stripe-Signature}. */
    public static Scheme stripe() {
        return STRIPE;
    }

    /** GitHub: {@code X-Hub-Signature-256} only; the SHA-1 header is refused. */
    public static HmacScheme github() {
        return GITHUB;
    }

    /**
     * GitHub, also accepting the legacy SHA-1 {@code X-Hub-Signature} when {@code X-Hub-Signature-256} is absent. Only
     * for old GitHub Enterprise servers that send no SHA-256 header.
     */
    public static HmacScheme githubAcceptingSha1() {
        return GITHUB_SHA1;
    }

    /**
     * Slack: {@code X-Slack-Signature} over {@code v0:timestamp:body}, {@code X-Slack-Request-Timestamp}; answers a
     * verified {@code url_verification} with its challenge.
     */
    public static HmacScheme slack() {
        return SLACK;
    }

    /**
     * Shopify: {@code X-Shopify-Hmac-Sha256}, base64 HMAC-SHA256 of the body with the app's client secret (UTF-8); id {@code
     * X-Shopify-Webhook-Id}, type {@code X-Shopify-Topic}; no timestamp.
     */
    public static HmacScheme shopify() {
        return SHOPIFY;
    }

    /**
     * Twilio: {@code X-Twilio-Signature} over the URL and the sorted form parameters, or the URL with {@code
     * bodySHA256} for JSON bodies. Behind a reverse proxy, use {@code twilio().trustedProxies("10.0.0.0/8")}.
     */
    public static TwilioScheme twilio() {
        return TWILIO;
    }

    /** Paddle Billing: {@code Paddle-Signature: ts=...;h1=...} over {@code ts:body}. */
    public static Scheme paddle() {
        return PADDLE;
    }

    /**
     * Square: {@code x-square-hmacsha256-signature} over the notification URL and the body; the URL is the request's,
     * or the one given to {@link SquareScheme#notificationUrl(String)}.
     */
    public static SquareScheme square() {
        return SQUARE;
    }

    /** Zoom: {@code x-zm-signature} ({@code v0=} hex over {@code v0:ts:body}); answers {@code endpoint.url_validation}. */
    public static Scheme zoom() {
        return ZOOM;
    }

    /** Linear: {@code Linear-Signature} (hex of the body); the timestamp is the body's {@code webhookTimestamp} (ms). */
    public static Scheme linear() {
        return LINEAR;
    }

    /** Mailgun: the body's {@code signature} object (timestamp, token, hex HMAC-SHA256 of timestamp + token). */
    public static Scheme mailgun() {
        return MAILGUN;
    }

    /**
     * Meta: {@code X-Hub-Signature-256} with the app secret; answers the {@code hub.challenge} subscription check once
     * given a verify token: {@code meta().verifyToken("...")}.
     */
    public static MetaScheme meta() {
        return META;
    }

    /** GitLab: the {@code X-Gitlab-Token} secret token, compared in constant time; no signature. */
    public static Scheme gitlab() {
        return GITLAB;
    }

    /**
     * Discord interactions: Ed25519 ({@code X-Signature-Ed25519}) over timestamp + body, with the hex public key;
     * answers {@code PING}.
     */
    public static Scheme discord() {
        return DISCORD;
    }

    /** SendGrid's signed Event Webhook: ECDSA P-256 over timestamp + body, with the base64 SPKI verification key. */
    public static Scheme sendgrid() {
        return SENDGRID;
    }

    /**
     * AWS SNS: the body is the SNS message, RSA-signed (SignatureVersion 1 or 2) with the certificate at its {@code
     * SigningCertURL}, fetched only over https from an SNS host; no keys to configure. Confirm subscriptions in the
     * handler, or {@code sns().topics("arn:aws:sns:...").autoConfirm()}.
     */
    public static SnsScheme sns() {
        return SNS;
    }

    /**
     * X (Twitter) Account Activity: {@code x-twitter-webhooks-signature: sha256=<base64>} HMAC-SHA256 of the body with
     * the consumer secret; answers the CRC check {@code GET ?crc_token=...} with the first key.
     */
    public static HmacScheme x() {
        return X;
    }

    /**
     * A builder for a provider that signs with an HMAC in a header. Its defaults (HMAC-SHA256, hex, header {@code
     * X-Signature}, the body signed, the secret's UTF-8 bytes) are the scheme {@code hmac}.
     */
    public static HmacScheme.Builder hmac() {
        return HmacScheme.builder();
    }

    /**
     * A builder for a provider that authenticates with a static token rather than a signature: in a header ({@code
     * header("X-Webhook-Token")}), {@code Authorization: Bearer} (the default, the scheme {@code token}), HTTP Basic
     * ({@code basic()}, {@code basicUser()}, {@code basicPassword()}) or a query parameter ({@code query("token")}).
     * The endpoint's keys are its tokens.
     */
    public static TokenScheme.Builder token() {
        return TokenScheme.builder();
    }

    /**
     * OpenAI: Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}) with the
     * {@code whsec_} secret from the dashboard; OpenAI's SDKs allow 300 seconds, the default tolerance.
     */
    public static Scheme openai() {
        return OPENAI;
    }

    /** Replicate: Standard Webhooks ({@code webhook-*} headers) with the {@code whsec_} signing secret. */
    public static Scheme replicate() {
        return REPLICATE;
    }

    /** Clerk (delivered by Svix): {@code svix-*} headers, else {@code webhook-*}, with the {@code whsec_} secret. */
    public static Scheme clerk() {
        return CLERK;
    }

    /** Resend (delivered by Svix): {@code svix-*} headers, else {@code webhook-*}, with the {@code whsec_} secret. */
    public static Scheme resend() {
        return RESEND;
    }

    /**
     * Polar: Standard Webhooks ({@code webhook-*} headers). Polar's SDK base64-encodes the secret before the Standard
     * Webhooks library decodes it again, so the key is the secret's UTF-8 bytes as the dashboard shows them; a {@code
     * whsec_} secret is decoded as Standard Webhooks does.
     */
    public static Scheme polar() {
        return POLAR;
    }

    /**
     * A built-in scheme by its stable id.
     *
     * @param id one of {@link #ids()}
     * @return the scheme
     * @throws NullPointerException if id is null
     * @throws IllegalArgumentException if no scheme has that id; the message lists the known ids
     */
    public static Scheme byId(String id) {
        Objects.requireNonNull(id, "scheme id cannot be null");
        return switch (id) {
            case "standard-webhooks" -> STANDARD_WEBHOOKS;
            case "svix" -> SVIX;
            case "stripe" -> STRIPE;
            case "github" -> GITHUB;
            case "slack" -> SLACK;
            case "shopify" -> SHOPIFY;
            case "twilio" -> TWILIO;
            case "paddle" -> PADDLE;
            case "square" -> SQUARE;
            case "zoom" -> ZOOM;
            case "linear" -> LINEAR;
            case "mailgun" -> MAILGUN;
            case "meta" -> META;
            case "gitlab" -> GITLAB;
            case "discord" -> DISCORD;
            case "sendgrid" -> SENDGRID;
            case "sns" -> SNS;
            case "x" -> X;
            case "hmac" -> HMAC;
            case "token" -> TOKEN;
            case "openai" -> OPENAI;
            case "replicate" -> REPLICATE;
            case "clerk" -> CLERK;
            case "resend" -> RESEND;
            case "polar" -> POLAR;
            default -> throw new IllegalArgumentException("unknown scheme " + id + "; known schemes: " + IDS);
        };
    }

    /** The ids of the built-in schemes, in a stable order. */
    public static List<String> ids() {
        return IDS;
    }

    /** X, with another floor for the secret's length: for tests that replay vectors published with toy secrets. */
    static HmacScheme x(int minSecretBytes) {
        return HmacScheme.builder()
                .id("x")
                .signatureHeader("x-twitter-webhooks-signature")
                .prefix("sha256=")
                .encoding(SignatureEncoding.BASE64)
                .minSecretBytes(minSecretBytes)
                .beforeVerify(Handshakes::xCrc)
                .build();
    }

    private static HmacScheme github(boolean acceptSha1) {
        HmacScheme.Builder builder = HmacScheme.builder()
                .id("github")
                .signatureHeader("X-Hub-Signature-256")
                .prefix("sha256=")
                .idHeader("X-GitHub-Delivery")
                .eventTypeHeader("X-GitHub-Event");
        if (acceptSha1) {
            builder.fallback(HmacScheme.builder()
                    .id("github")
                    .signatureHeader("X-Hub-Signature")
                    .prefix("sha1=")
                    .algorithm(HmacAlgorithm.SHA1)
                    .idHeader("X-GitHub-Delivery")
                    .eventTypeHeader("X-GitHub-Event")
                    .build());
        }
        return builder.build();
    }
}
