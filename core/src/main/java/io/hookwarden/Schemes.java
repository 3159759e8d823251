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
 *   <tr><td>{@code telegram}</td><td>{@code X-Telegram-Bot-Api-Secret-Token} (the token itself)</td>
 *       <td>the webhook's {@code secret_token}, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code okta}</td><td>{@code Authorization} (the hook's authentication secret itself)</td>
 *       <td>the whole header value, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code microsoft-graph}</td><td>none: {@code clientState} in every notification of the body; answers
 *       {@code ?validationToken=}</td><td>the clientState, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code event-grid}</td><td>query parameter {@code code} (a static secret); answers the subscription
 *       validation</td><td>the secret, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code bitbucket}, {@code jira}</td><td>{@code X-Hub-Signature} ({@code sha256=} hex)</td>
 *       <td>webhook secret, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code intercom}</td><td>{@code X-Hub-Signature} ({@code sha1=} hex)</td><td>client secret, UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code typeform}</td><td>{@code Typeform-Signature} ({@code sha256=} base64)</td><td>UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code sentry}</td><td>{@code Sentry-Hook-Signature} (hex)</td><td>client secret, UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code lemonsqueezy}</td><td>{@code X-Signature} (hex)</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code vercel}</td><td>{@code x-vercel-signature} (hex HMAC-SHA1)</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code woocommerce}</td><td>{@code X-WC-Webhook-Signature} (base64)</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code line}</td><td>{@code x-line-signature} (base64)</td><td>channel secret, UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code coinbase}</td><td>{@code X-CC-Webhook-Signature} (hex)</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code xero}</td><td>{@code x-xero-signature} (base64)</td><td>webhook key, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code dropbox}</td><td>{@code X-Dropbox-Signature} (hex)</td><td>app secret, UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code trello}</td><td>{@code X-Trello-Webhook} (base64 HMAC-SHA1 over body + callback URL)</td>
 *       <td>application secret, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code box}</td><td>{@code box-signature-primary} / {@code -secondary} (base64 over body +
 *       {@code box-delivery-timestamp})</td><td>primary and secondary keys, UTF-8</td><td>two-sided, RFC 3339</td></tr>
 *   <tr><td>{@code hubspot}</td><td>{@code X-HubSpot-Signature-v3} (base64 over method + URI + body + timestamp)
 *       </td><td>client secret, UTF-8</td><td>two-sided, milliseconds</td></tr>
 *   <tr><td>{@code hubspot-legacy}</td><td>{@code X-HubSpot-Signature} with {@code X-HubSpot-Signature-Version} v1
 *       or v2 (hex SHA-256 of the secret + body, or + method + URI + body)</td><td>client secret, UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code docusign}</td><td>{@code X-DocuSign-Signature-1} ... {@code -100} (base64)</td>
 *       <td>HMAC keys, UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code adyen}</td><td>body: {@code additionalData.hmacSignature} of every notification item (base64
 *       over its fields)</td><td>hex HMAC key</td><td>none</td></tr>
 *   <tr><td>{@code adyen-platform}</td><td>{@code HmacSignature} (base64 of the body)</td><td>hex HMAC key</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code braintree}</td><td>form field {@code bt_signature} (hex HMAC-SHA1 of {@code bt_payload});
 *       answers {@code ?bt_challenge=}</td><td>{@code publicKey:privateKey}</td><td>none</td></tr>
 *   <tr><td>{@code zendesk}</td><td>{@code X-Zendesk-Webhook-Signature} (base64 over timestamp + body)</td>
 *       <td>signing secret, UTF-8</td><td>two-sided, RFC 3339</td></tr>
 *   <tr><td>{@code intuit}</td><td>{@code intuit-signature} (base64 of the body)</td><td>verifier token, UTF-8</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code contentful}</td><td>{@code x-contentful-signature} (hex over method, path, signed headers,
 *       body)</td><td>signing secret, UTF-8</td><td>two-sided, milliseconds</td></tr>
 *   <tr><td>{@code twitch}</td><td>{@code Twitch-Eventsub-Message-Signature} ({@code sha256=} hex over id +
 *       timestamp + body); answers the callback verification</td><td>UTF-8</td><td>two-sided, RFC 3339</td></tr>
 *   <tr><td>{@code mux}, {@code calendly}</td><td>{@code Mux-Signature}, {@code Calendly-Webhook-Signature}
 *       ({@code t=..,v1=..} hex over {@code t.body})</td><td>UTF-8</td><td>two-sided</td></tr>
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
    private static final TokenScheme TELEGRAM = TokenScheme.builder()
            .id("telegram")
            .header("X-Telegram-Bot-Api-Secret-Token")
            .idPointer("/update_id")
            .build();
    private static final Scheme OKTA = new OktaScheme();
    private static final TokenScheme EVENT_GRID = eventGrid("code");
    private static final Scheme MICROSOFT_GRAPH = new GraphScheme();
    private static final HmacScheme BITBUCKET = HmacScheme.builder()
            .id("bitbucket")
            .signatureHeader("X-Hub-Signature")
            .prefix("sha256=")
            .idHeader("X-Request-UUID")
            .eventTypeHeader("X-Event-Key")
            .build();
    private static final HmacScheme TYPEFORM = HmacScheme.builder()
            .id("typeform")
            .signatureHeader("Typeform-Signature")
            .prefix("sha256=")
            .encoding(SignatureEncoding.BASE64)
            .idPointer("/event_id")
            .eventTypePointers("/event_type")
            .build();
    private static final HmacScheme SENTRY = HmacScheme.builder()
            .id("sentry")
            .signatureHeader("Sentry-Hook-Signature")
            .idHeader("Request-ID")
            .eventTypeHeader("Sentry-Hook-Resource")
            .build();
    private static final HmacScheme LEMONSQUEEZY = HmacScheme.builder()
            .id("lemonsqueezy")
            .signatureHeader("X-Signature")
            .eventTypeHeader("X-Event-Name")
            .build();
    private static final HmacScheme VERCEL = HmacScheme.builder()
            .id("vercel")
            .signatureHeader("x-vercel-signature")
            .algorithm(HmacAlgorithm.SHA1)
            .idPointer("/id")
            .eventTypePointers("/type")
            .build();
    private static final HmacScheme WOOCOMMERCE = HmacScheme.builder()
            .id("woocommerce")
            .signatureHeader("X-WC-Webhook-Signature")
            .encoding(SignatureEncoding.BASE64)
            .idHeader("X-WC-Webhook-Delivery-ID")
            .eventTypeHeader("X-WC-Webhook-Topic")
            .beforeVerify(Handshakes::wooCommercePing)
            .build();
    private static final HmacScheme LINE = line(8);
    private static final HmacScheme COINBASE = HmacScheme.builder()
            .id("coinbase")
            .signatureHeader("X-CC-Webhook-Signature")
            .idPointer("/event/id")
            .eventTypePointers("/event/type")
            .build();
    private static final HmacScheme INTERCOM = HmacScheme.builder()
            .id("intercom")
            .signatureHeader("X-Hub-Signature")
            .prefix("sha1=")
            .algorithm(HmacAlgorithm.SHA1)
            .idPointer("/id")
            .eventTypePointers("/topic")
            .build();
    private static final HmacScheme XERO = HmacScheme.builder()
            .id("xero")
            .signatureHeader("x-xero-signature")
            .encoding(SignatureEncoding.BASE64)
            .eventTypePointers("/events/0/eventType")
            .afterVerify(Handshakes::xeroIntentToReceive)
            .build();
    private static final HmacScheme JIRA = HmacScheme.builder()
            .id("jira")
            .signatureHeader("X-Hub-Signature")
            .prefix("sha256=")
            .idHeader("X-Atlassian-Webhook-Identifier")
            .eventTypePointers("/webhookEvent")
            .build();
    private static final HmacScheme MUX = HmacScheme.builder()
            .id("mux")
            .signatureHeader("Mux-Signature")
            .signatureItems(',', "t", "v1")
            .signedContent("{timestamp}.{body}")
            .idPointer("/id")
            .eventTypePointers("/type")
            .build();
    private static final HmacScheme CALENDLY = HmacScheme.builder()
            .id("calendly")
            .signatureHeader("Calendly-Webhook-Signature")
            .signatureItems(',', "t", "v1")
            .signedContent("{timestamp}.{body}")
            .eventTypePointers("/event")
            .build();
    private static final Scheme BOX = new BoxScheme();
    private static final Scheme DOCUSIGN = new DocuSignScheme();
    private static final HubSpotScheme HUBSPOT = new HubSpotScheme(null, PublicUrl.DIRECT);
    private static final HubSpotLegacyScheme HUBSPOT_LEGACY = new HubSpotLegacyScheme(null);
    private static final TrelloScheme TRELLO = new TrelloScheme(null, PublicUrl.DIRECT);
    private static final HmacScheme DROPBOX = HmacScheme.builder()
            .id("dropbox")
            .signatureHeader("X-Dropbox-Signature")
            .beforeVerify(Handshakes::dropbox)
            .build();
    private static final HmacScheme ZENDESK = HmacScheme.builder()
            .id("zendesk")
            .signatureHeader("X-Zendesk-Webhook-Signature")
            .encoding(SignatureEncoding.BASE64)
            .signedContent("{timestamp}{body}")
            .timestampHeader("X-Zendesk-Webhook-Signature-Timestamp")
            .timestampRfc3339()
            .eventTypePointers("/type")
            .build();
    private static final HmacScheme INTUIT = HmacScheme.builder()
            .id("intuit")
            .signatureHeader("intuit-signature")
            .encoding(SignatureEncoding.BASE64)
            .build();
    private static final HmacScheme TWITCH = HmacScheme.builder()
            .id("twitch")
            .signatureHeader("Twitch-Eventsub-Message-Signature")
            .prefix("sha256=")
            .signedContent("{id}{timestamp}{body}")
            .idHeader("Twitch-Eventsub-Message-Id")
            .timestampHeader("Twitch-Eventsub-Message-Timestamp")
            .timestampRfc3339()
            .eventTypeHeader("Twitch-Eventsub-Subscription-Type")
            .afterVerify(Handshakes::twitch)
            .build();
    private static final HmacScheme ADYEN_PLATFORM = HmacScheme.builder()
            .id("adyen-platform")
            .signatureHeader("HmacSignature")
            .encoding(SignatureEncoding.BASE64)
            .secretEncoding(SecretEncoding.HEX)
            .eventTypePointers("/type")
            .build();
    private static final Scheme ADYEN = new AdyenScheme();
    private static final Scheme BRAINTREE = new BraintreeScheme();
    private static final Scheme CONTENTFUL = new ContentfulScheme();

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
            "telegram",
            "okta",
            "event-grid",
            "microsoft-graph",
            "bitbucket",
            "typeform",
            "sentry",
            "lemonsqueezy",
            "vercel",
            "woocommerce",
            "line",
            "coinbase",
            "intercom",
            "xero",
            "jira",
            "dropbox",
            "mux",
            "calendly",
            "trello",
            "box",
            "hubspot",
            "hubspot-legacy",
            "docusign",
            "adyen",
            "adyen-platform",
            "braintree",
            "zendesk",
            "intuit",
            "contentful",
            "twitch",
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
     * Azure Event Grid (Event Grid event schema) with the secret in the query parameter {@code code} of the endpoint
     * URL you give the event subscription, for example {@code https://example.com/hooks/grid?code=<secret>}: compared in
     * constant time and masked in every URL Hookwarden keeps. Answers the subscription validation event with its
     * {@code validationResponse} once the secret is verified, as <a
     * href="https://learn.microsoft.com/azure/event-grid/end-point-validation-event-grid-events-schema">Endpoint
     * validation with Event Grid event schema</a> describes; the delivery id is the first event's {@code id} and the
     * event type its {@code eventType}. Event Grid delivers one event per request unless the subscription batches:
     * then the handler reads the whole array. For a Microsoft Entra ID bearer token instead of a query secret, use
     * {@code hookwarden-jwt}; the CloudEvents schema's {@code OPTIONS} validation is not answered.
     */
    public static TokenScheme eventGrid() {
        return EVENT_GRID;
    }

    /**
     * Microsoft Graph change notifications: the subscription's {@code clientState} in every notification of the body,
     * compared in constant time; answers the subscription validation ({@code POST ?validationToken=}) with the token as
     * text. The keys are the clientStates you gave your subscriptions.
     */
    public static Scheme microsoftGraph() {
        return MICROSOFT_GRAPH;
    }

    /**
     * {@link #eventGrid()} with the secret in another query parameter.
     *
     * @param queryParameter the parameter's name, for example {@code key}
     * @return the scheme
     */
    public static TokenScheme eventGrid(String queryParameter) {
        return TokenScheme.builder()
                .id("event-grid")
                .query(queryParameter)
                .idPointer("/0/id")
                .eventTypePointers("/0/eventType")
                .afterVerify(Handshakes::eventGrid)
                .build();
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
     * A scheme that authenticates with an {@link io.hookwarden.spi.Authenticator} from a module of its own, such as
     * {@code hookwarden-jwt}'s bearer JWTs. Modules call this for you ({@code JwtScheme.builder()...build()}).
     *
     * @param authenticator the authenticator
     * @return a scheme with the authenticator's id
     * @throws NullPointerException if authenticator is null
     * @throws IllegalArgumentException if its id is blank
     */
    public static Scheme authenticatedBy(io.hookwarden.spi.Authenticator<?> authenticator) {
        return new AuthenticatorScheme<>(authenticator);
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
     * Telegram Bot API webhooks: the {@code secret_token} given to {@code setWebhook} comes back, unsigned, as the whole
     * value of {@code X-Telegram-Bot-Api-Secret-Token} on every update, and is compared in constant time; the dedupe
     * key is the update's {@code update_id}. Telegram allows 1 to 256 characters ({@code A-Z}, {@code a-z}, {@code
     * 0-9}, {@code _}, {@code -}); a token under 8 is refused here, as for every token scheme. The update's kind is the
     * field it carries ({@code message}, {@code callback_query}, ...), so no event type is read.
     *
     * @see <a href="https://core.telegram.org/bots/api#setwebhook">Telegram Bot API: setWebhook</a>
     * @see <a href="https://core.telegram.org/bots/api#update">Telegram Bot API: Update</a>
     */
    public static TokenScheme telegram() {
        return TELEGRAM;
    }

    /**
     * Okta event hooks: the hook's authentication secret, sent unsigned as the whole value of {@code Authorization}
     * (Okta recommends {@code Basic } and base64 {@code user:password}; the key is the value exactly as entered in
     * Okta), compared in constant time; the dedupe key is the body's {@code eventId}. Okta's one-time verification
     * request ({@code GET} with {@code X-Okta-Verification-Challenge}) is answered with {@code {"verification": ...}}
     * only when its {@code Authorization} matches.
     *
     * @see <a href="https://developer.okta.com/docs/concepts/event-hooks/">Okta: event hooks</a>
     * @see <a href="https://developer.okta.com/docs/guides/secure-hooks/main/">Okta: secure your hooks</a>
     */
    public static Scheme okta() {
        return OKTA;
    }

    /**
     * Bitbucket Cloud: {@code X-Hub-Signature: sha256=<hex>}, HMAC-SHA256 of the body with the webhook's secret (UTF-8);
     * id {@code X-Request-UUID} (not signed), type {@code X-Event-Key} ({@code repo:push}); no timestamp. Deliveries of
     * a webhook saved without a secret carry no signature and are refused. Rules: <a
     * href="https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/">Bitbucket Cloud: manage webhooks</a>
     * (secure webhooks).
     */
    public static HmacScheme bitbucket() {
        return BITBUCKET;
    }

    /**
     * Typeform: {@code Typeform-Signature: sha256=<base64>}, HMAC-SHA256 of the body with the webhook's secret (UTF-8);
     * id {@code /event_id}, type {@code /event_type} from the body; no timestamp. Rules: <a
     * href="https://www.typeform.com/developers/webhooks/secure-your-webhooks/">Typeform: secure your webhooks</a>.
     */
    public static HmacScheme typeform() {
        return TYPEFORM;
    }

    /**
     * Sentry integration platform: {@code Sentry-Hook-Signature}, hex HMAC-SHA256 of the body with the integration's
     * client secret (UTF-8); id {@code Request-ID}, type {@code Sentry-Hook-Resource} ({@code issue}, {@code
     * event_alert}, ...). Sentry also sends {@code Sentry-Hook-Timestamp}, but does not sign it, so it is not checked:
     * an unsigned time proves nothing, and the dedupe store is what refuses a replay. Rules: <a
     * href="https://docs.sentry.io/organization/integrations/integration-platform/webhooks/">Sentry: integration
     * platform webhooks</a>.
     */
    public static HmacScheme sentry() {
        return SENTRY;
    }

    /**
     * Lemon Squeezy: {@code X-Signature}, hex HMAC-SHA256 of the body with the webhook's signing secret (UTF-8); type
     * {@code X-Event-Name} ({@code order_created}); no id header and no timestamp. Lemon Squeezy accepts secrets from 6
     * characters; like every built-in scheme this one refuses a secret under 8 bytes unless the key set allows weak
     * secrets. Rules: <a href="https://docs.lemonsqueezy.com/help/webhooks/signing-requests">Lemon Squeezy: signing
     * requests</a>.
     */
    public static HmacScheme lemonSqueezy() {
        return LEMONSQUEEZY;
    }

    /**
     * Vercel: {@code x-vercel-signature}, hex HMAC-SHA1 of the body with the webhook's secret (or, for an
     * integration's webhooks, its client secret; UTF-8); id {@code /id}, type {@code /type} from the body; no
     * timestamp. Rules: <a href="https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks">Vercel: securing
     * webhooks</a>.
     */
    public static HmacScheme vercel() {
        return VERCEL;
    }

    /**
     * WooCommerce: {@code X-WC-Webhook-Signature}, base64 HMAC-SHA256 of the body with the webhook's secret (UTF-8);
     * id {@code X-WC-Webhook-Delivery-ID} (not signed), type {@code X-WC-Webhook-Topic} ({@code order.created}); no
     * timestamp. Answers the unsigned ping WooCommerce sends when a webhook is saved (a POST whose whole body is {@code
     * webhook_id=N}, without a signature header) with 200, or WooCommerce would refuse to save it. Rules: <a
     * href="https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks">WooCommerce REST API: webhooks</a>;
     * the ping from {@code WC_Webhook::deliver_ping} in woocommerce/woocommerce.
     */
    public static HmacScheme wooCommerce() {
        return WOOCOMMERCE;
    }

    /**
     * LINE Messaging API: {@code x-line-signature}, base64 HMAC-SHA256 of the body with the channel secret (UTF-8);
     * type {@code /events/0/type} (a delivery may carry several events, or none: the console's "Verify" request sends
     * {@code "events": []}, which verifies like any other); no timestamp and no delivery id, so a retry is recognised
     * by its signature. Rules: <a href="https://developers.line.biz/en/reference/messaging-api/#signature-validation">
     * LINE: signature validation</a>.
     */
    public static HmacScheme line() {
        return LINE;
    }

    /**
     * Coinbase Commerce: {@code X-CC-Webhook-Signature}, hex HMAC-SHA256 of the body with the webhook's shared secret
     * (UTF-8); id {@code /event/id}, type {@code /event/type} ({@code charge:confirmed}); no timestamp. Rules: <a
     * href="https://docs.cdp.coinbase.com/commerce/docs/webhooks-security">Coinbase Commerce: webhooks security</a>;
     * {@code Webhook.verifySigHeader} in coinbase/coinbase-commerce-node.
     */
    public static HmacScheme coinbase() {
        return COINBASE;
    }

    /**
     * Intercom: {@code X-Hub-Signature: sha1=<hex>}, HMAC-SHA1 of the body with the app's client secret (UTF-8); id
     * {@code /id} ({@code notif_...}), type {@code /topic}; no timestamp. Rules: <a
     * href="https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications">Intercom:
     * signed notifications</a>.
     */
    public static HmacScheme intercom() {
        return INTERCOM;
    }

    /**
     * Xero: {@code x-xero-signature}, base64 HMAC-SHA256 of the body with the webhook key (UTF-8); type {@code
     * /events/0/eventType}; no timestamp and no delivery id. Xero's "intent to receive" check sends correctly and
     * incorrectly signed requests and expects 200 and 401: a mis-signed one is refused as a signature mismatch (401),
     * and a correctly signed one with {@code "events": []} is answered 200 with no body. Xero wants no body in any
     * answer. Rules: <a href="https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/">Xero:
     * configuring your server</a>.
     */
    public static HmacScheme xero() {
        return XERO;
    }

    /**
     * Jira Cloud admin webhooks: {@code X-Hub-Signature: sha256=<hex>} (WebSub's {@code method=signature} form),
     * HMAC-SHA256 of the body with the webhook's secret (UTF-8); id {@code X-Atlassian-Webhook-Identifier} (the same on
     * retries), type {@code /webhookEvent}; no timestamp. Webhooks registered by Connect or OAuth 2.0 apps are signed
     * with a JWT instead and are not this scheme. Rules: <a
     * href="https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks">Jira Cloud: secure
     * admin webhooks</a>.
     */
    public static HmacScheme jira() {
        return JIRA;
    }

    /**
     * Dropbox: {@code X-Dropbox-Signature}, hex HMAC-SHA256 of the body with the app secret (UTF-8); no id, type or
     * timestamp (the body lists the accounts that changed). Answers the verification request {@code GET ?challenge=C}
     * with C as {@code text/plain} and {@code X-Content-Type-Options: nosniff}, as Dropbox asks. Rules: <a
     * href="https://www.dropbox.com/developers/reference/webhooks">Dropbox: webhooks</a>.
     */
    public static HmacScheme dropbox() {
        return DROPBOX;
    }

    /**
     * Mux: {@code Mux-Signature: t=<seconds>,v1=<hex>}, HMAC-SHA256 of {@code t.body} with the webhook's signing secret
     * (UTF-8); any {@code v1} may match, other versions are ignored; id {@code /id}, type {@code /type}
     * ({@code video.asset.ready}). Mux's SDKs allow 300 seconds, the default tolerance, but check only the age; this
     * scheme also refuses a timestamp further ahead than the future skew. Rules: <a
     * href="https://docs.mux.com/core/verify-webhook-signatures">Mux: verify webhook signatures</a>; {@code
     * webhooks.verifySignature} in muxinc/mux-node-sdk.
     */
    public static HmacScheme mux() {
        return MUX;
    }

    /**
     * Calendly: {@code Calendly-Webhook-Signature: t=<seconds>,v1=<hex>}, HMAC-SHA256 of {@code t.body} with the
     * webhook signing key (UTF-8); type {@code /event} ({@code invitee.created}). Calendly's documentation rejects
     * timestamps older than three minutes: give {@code tolerance(Duration.ofMinutes(3))} to match it (the default is
     * five). Deliveries carry no id, and a retry is signed at a new time, so a retry is a new signature: for
     * deduplication, name a field of the payload: {@code dedupeKey(DedupeKey.jsonPointer("/payload/uri"))} on the
     * receiver. Rules: <a
     * href="https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures">Calendly: webhook
     * signatures</a>.
     */
    public static HmacScheme calendly() {
        return CALENDLY;
    }

    /**
     * Trello: {@code X-Trello-Webhook}, base64 HMAC-SHA1 with the application's secret over the body followed by the
     * callback URL as given when the webhook was created: the request's URL, or the one given to {@link
     * TrelloScheme#callbackUrl(String)}; behind a reverse proxy, {@code trello().trustedProxies("10.0.0.0/8")}. Answers
     * Trello's {@code HEAD} check of a new callback URL with 200. Rules: <a
     * href="https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures">Trello:
     * webhook signatures</a>.
     */
    public static TrelloScheme trello() {
        return TRELLO;
    }

    /**
     * Box: {@code box-signature-primary} and {@code box-signature-secondary}, base64 HMAC-SHA256 of the body followed
     * by {@code box-delivery-timestamp} (RFC 3339), made with the application's primary and secondary signature keys:
     * give both keys to the endpoint, and a signature in either header matching either key verifies; version {@code 1}
     * and algorithm {@code HmacSHA256} when those headers are present; id {@code /id}, type {@code /trigger}. Box
     * rejects deliveries older than ten minutes: give {@code tolerance(Duration.ofMinutes(10))} to match it (the
     * default is five, both ways; Box's older SDKs check only the age, with a non-constant-time comparison). Rules: <a
     * href="https://developer.box.com/guides/webhooks/v2/signatures-v2/">Box: webhook signatures</a>; {@code
     * BoxWebHookSignatureVerifier} in box/box-java-sdk.
     */
    public static Scheme box() {
        return BOX;
    }

    /**
     * HubSpot, signature v3: {@code X-HubSpot-Signature-v3}, base64 HMAC-SHA256 with the app's client secret over
     * method + URI + body + {@code X-HubSpot-Request-Timestamp} (milliseconds); two-sided window (HubSpot: five
     * minutes, past only); type {@code /0/subscriptionType}. The URI is the request's URL, or the one given to {@link
     * HubSpotScheme#webhookUrl(String)}; behind a reverse proxy, {@code hubspot().trustedProxies("10.0.0.0/8")}. Rules:
     * <a href="https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation">
     * HubSpot: validating requests</a>.
     */
    public static HubSpotScheme hubspot() {
        return HUBSPOT;
    }

    /**
     * HubSpot's v1 and v2 signatures, for what HubSpot still signs that way (workflow actions, CRM cards, older apps):
     * {@code X-HubSpot-Signature}, the hex SHA-256 of the client secret + body (v1) or + method + URI + body (v2), as
     * {@code X-HubSpot-Signature-Version} names; no timestamp, so prefer {@link #hubspot()} (v3) where HubSpot offers
     * it. See {@link HubSpotLegacyScheme}.
     */
    public static HubSpotLegacyScheme hubspotLegacy() {
        return HUBSPOT_LEGACY;
    }

    /**
     * DocuSign Connect: {@code X-DocuSign-Signature-1}, {@code -2}, ... (one per active HMAC key of the account, up to
     * 100), each the base64 HMAC-SHA256 of the body with one key (its text's UTF-8 bytes); any of them matching any key
     * of the endpoint verifies; type {@code /event}; no timestamp. Rules: <a
     * href="https://developers.docusign.com/platform/webhooks/connect/validate/">DocuSign: how to validate an HMAC
     * signature</a>.
     */
    public static Scheme docusign() {
        return DOCUSIGN;
    }

    /**
     * Adyen classic notifications (payments, the Customer Area's "Standard webhook"): a JSON body of {@code
     * notificationItems}, each {@code NotificationRequestItem} signed on its own: the base64 HMAC-SHA256, keyed with
     * the webhook's HMAC key (hex), of {@code
     * pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success} (a missing
     * field is empty), in its {@code additionalData.hmacSignature}. Every item of a batch must verify, with the same
     * key, or the whole delivery is refused. The delivery's id is the first item's {@code pspReference} and {@code
     * eventCode} (a batch is deduplicated as one delivery, by its first item: Adyen retries a batch whole), its type
     * the first item's {@code eventCode}; no timestamp. Rules:
     * <a href="https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures/">Adyen:
     * verify HMAC signatures</a>; {@code HMACValidator} in Adyen/adyen-java-api-library.
     */
    public static Scheme adyen() {
        return ADYEN;
    }

    /**
     * Adyen platform webhooks (Balance Platform, Management API, ...): {@code HmacSignature}, base64 HMAC-SHA256 of
     * the body keyed with the webhook's HMAC key (hex); type {@code /type}; no id and no timestamp. Rules: <a
     * href="https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures/">Adyen:
     * verify HMAC signatures</a>; {@code HMACValidator.validateHMAC(signature, key, payload)} in
     * Adyen/adyen-java-api-library.
     */
    public static HmacScheme adyenPlatform() {
        return ADYEN_PLATFORM;
    }

    /**
     * Braintree: a form body with {@code bt_signature} and {@code bt_payload}; {@code bt_signature} holds {@code
     * publicKey|signature} pairs joined by {@code &}, and the pair of the endpoint's public key must carry the hex
     * HMAC-SHA1, keyed with SHA-1 of the private key, of {@code bt_payload} (or, as Braintree's SDKs also accept, of
     * {@code bt_payload} with a trailing newline). The secret is {@code publicKey:privateKey}. Answers the
     * verification challenge {@code GET ?bt_challenge=C} with {@code publicKey|hex HMAC-SHA1(SHA-1(privateKey), C)}.
     * No id, type or timestamp outside the payload (base64 XML). Rules: {@code WebhookNotificationGateway} in
     * braintree/braintree_java.
     */
    public static Scheme braintree() {
        return BRAINTREE;
    }

    /**
     * Zendesk: {@code X-Zendesk-Webhook-Signature}, base64 HMAC-SHA256 with the webhook's signing secret (UTF-8) of
     * {@code X-Zendesk-Webhook-Signature-Timestamp} (an RFC 3339 date-time; seconds since the epoch are read too)
     * followed by the body; two-sided window; type {@code /type} ({@code zen:event-type:ticket.created} for event
     * webhooks). A trigger's body is what the trigger writes, so no id is assumed: the default dedupe key is the
     * signature; for event webhooks, {@code dedupeKey(DedupeKey.jsonPointer("/id"))}. Rules: <a
     * href="https://developer.zendesk.com/documentation/webhooks/verifying/">Zendesk: verifying webhook
     * authenticity</a>.
     */
    public static HmacScheme zendesk() {
        return ZENDESK;
    }

    /**
     * Intuit QuickBooks Online: {@code intuit-signature}, base64 HMAC-SHA256 of the body with the app's verifier token
     * (UTF-8); no id, type or timestamp in the headers. A notification may carry many entities of many companies, and
     * Intuit re-sends the same body when it retries, so the default dedupe key is the signature (the body's MAC); to
     * process each entity once, deduplicate per entity in the handler (realm id, entity name, id and {@code
     * lastUpdated}). Rules: <a
     * href="https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications">
     * Intuit: managing webhooks notifications</a>; {@code WebhooksService.verifyPayload} in
     * intuit/QuickBooks-V3-Java-SDK, which compares with {@code String.equals}, where this scheme compares in constant
     * time.
     */
    public static HmacScheme intuit() {
        return INTUIT;
    }

    /**
     * Contentful: {@code x-contentful-signature}, hex HMAC-SHA256 with the webhook's signing secret (UTF-8) of the
     * canonical request (method, path with its query, the headers named in {@code x-contentful-signed-headers} as
     * sorted {@code name:value} pairs joined by {@code ;}, and the body, joined by newlines), with {@code
     * x-contentful-timestamp} (milliseconds) among the signed headers; two-sided window (Contentful's toolkit: 30
     * seconds, past only: give {@code tolerance(Duration.ofSeconds(30))} to match). Rules: {@code verifyRequest} in
     * contentful/node-apps-toolkit.
     */
    public static Scheme contentful() {
        return CONTENTFUL;
    }

    /**
     * Twitch EventSub webhooks: {@code Twitch-Eventsub-Message-Signature: sha256=<hex>}, HMAC-SHA256 with the
     * subscription's secret (UTF-8) of {@code Twitch-Eventsub-Message-Id} + {@code Twitch-Eventsub-Message-Timestamp}
     * (RFC 3339, nanoseconds) + body; id the message id (signed, the dedupe key), type {@code
     * Twitch-Eventsub-Subscription-Type}. Twitch asks receivers to refuse messages older than ten minutes: give {@code
     * tolerance(Duration.ofMinutes(10))} (the default is five, both ways). Answers a verified {@code
     * webhook_callback_verification} with its challenge as {@code text/plain}; a {@code revocation} reaches the
     * application like a notification, told apart by {@code Twitch-Eventsub-Message-Type}. Rules: <a
     * href="https://dev.twitch.tv/docs/eventsub/handling-webhook-events/">Twitch: handling webhook events</a>.
     */
    public static HmacScheme twitch() {
        return TWITCH;
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
            case "telegram" -> TELEGRAM;
            case "okta" -> OKTA;
            case "event-grid" -> EVENT_GRID;
            case "microsoft-graph" -> MICROSOFT_GRAPH;
            case "bitbucket" -> BITBUCKET;
            case "typeform" -> TYPEFORM;
            case "sentry" -> SENTRY;
            case "lemonsqueezy" -> LEMONSQUEEZY;
            case "vercel" -> VERCEL;
            case "woocommerce" -> WOOCOMMERCE;
            case "line" -> LINE;
            case "coinbase" -> COINBASE;
            case "intercom" -> INTERCOM;
            case "xero" -> XERO;
            case "jira" -> JIRA;
            case "dropbox" -> DROPBOX;
            case "mux" -> MUX;
            case "calendly" -> CALENDLY;
            case "trello" -> TRELLO;
            case "box" -> BOX;
            case "hubspot" -> HUBSPOT;
            case "hubspot-legacy" -> HUBSPOT_LEGACY;
            case "docusign" -> DOCUSIGN;
            case "adyen" -> ADYEN;
            case "adyen-platform" -> ADYEN_PLATFORM;
            case "braintree" -> BRAINTREE;
            case "zendesk" -> ZENDESK;
            case "intuit" -> INTUIT;
            case "contentful" -> CONTENTFUL;
            case "twitch" -> TWITCH;
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

    /** LINE, with another floor for the secret's length: for the SDK's published vector, signed with {@code SECRET}. */
    static HmacScheme line(int minSecretBytes) {
        return HmacScheme.builder()
                .id("line")
                .signatureHeader("x-line-signature")
                .encoding(SignatureEncoding.BASE64)
                .eventTypePointers("/events/0/type")
                .minSecretBytes(minSecretBytes)
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
