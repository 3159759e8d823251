package io.hookwarden.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.PayloadSchema;
import io.hookwarden.SchemaRegistry;
import io.hookwarden.ValidationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Schema validation of a 2 KiB Stripe-style {@code invoice.paid} event beside its floor, in the same run.
 *
 * <p>The floor, {@link #parse()}, is Jackson's own {@code readTree} over the bytes: the least any receiver that looks
 * at the payload must do. {@link #parseAndValidate()} is that plus what a receiver with a {@link SchemaRegistry} adds:
 * finding the schema for the type and checking the tree against it (draft 2020-12, {@code $ref}, patterns, formats),
 * gathering every violation. {@link #validate()} is the validation alone, on a tree parsed once. Read {@code
 * parseAndValidate / parse} in time per operation (lower is better); the target is within 3x.
 *
 * <p>On a shared, busy machine the average is dominated by the time the benchmark thread is not scheduled; run in
 * sample mode ({@code -bm sample -tu us}) and compare the medians ({@code p0.50}), which a preempted call rarely
 * reaches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PayloadBenchmark {
    private static final String SCHEMA = "{"
            + "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
            + "\"required\":[\"id\",\"object\",\"type\",\"created\",\"livemode\",\"data\"],"
            + "\"properties\":{"
            + "\"id\":{\"type\":\"string\",\"pattern\":\"^evt_[A-Za-z0-9]+$\"},"
            + "\"object\":{\"const\":\"event\"},\"type\":{\"const\":\"invoice.paid\"},"
            + "\"api_version\":{\"type\":\"string\"},\"created\":{\"type\":\"integer\",\"minimum\":0},"
            + "\"livemode\":{\"type\":\"boolean\"},"
            + "\"data\":{\"type\":\"object\",\"required\":[\"object\"],"
            + "\"properties\":{\"object\":{\"$ref\":\"#/$defs/invoice\"}}}},"
            + "\"$defs\":{\"invoice\":{\"type\":\"object\","
            + "\"required\":[\"id\",\"object\",\"amount_paid\",\"currency\",\"customer\",\"status\"],"
            + "\"properties\":{"
            + "\"id\":{\"type\":\"string\",\"pattern\":\"^in_\"},\"object\":{\"const\":\"invoice\"},"
            + "\"amount_paid\":{\"type\":\"integer\",\"minimum\":0},"
            + "\"currency\":{\"type\":\"string\",\"pattern\":\"^[a-z]{3}$\"},"
            + "\"customer\":{\"type\":\"string\",\"pattern\":\"^cus_\"},"
            + "\"customer_email\":{\"type\":[\"string\",\"null\"],\"format\":\"email\"},"
            + "\"status\":{\"enum\":[\"paid\"]},"
            + "\"lines\":{\"type\":\"object\",\"properties\":{\"data\":{\"type\":\"array\","
            + "\"items\":{\"type\":\"object\",\"required\":[\"id\",\"amount\"],"
            + "\"properties\":{\"id\":{\"type\":\"string\"},\"amount\":{\"type\":\"integer\"}}}}}}}}}}";

    private ObjectMapper mapper;
    private SchemaRegistry registry;
    private byte[] body;
    private JsonNode tree;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        mapper = new ObjectMapper();
        registry = SchemaRegistry.builder()
                .schema("invoice.paid", PayloadSchema.of(SCHEMA))
                .build();
        body = event().getBytes(StandardCharsets.UTF_8);
        if (body.length < 1950 || body.length > 2150) {
            throw new IllegalStateException("the event should be about 2 KiB but is " + body.length + " bytes");
        }
        tree = mapper.readTree(body);
        if (!parseAndValidate().isValid()) {
            throw new IllegalStateException("the benchmark event must be valid: " + parseAndValidate());
        }
    }

    /** A realistic invoice.paid event with four invoice lines and metadata, about 2 KiB. */
    private static String event() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                lines.append(',');
            }
            lines.append("{\"id\":\"il_1PqR8rLkdIwHu7ixHgFeDcB")
                    .append(i)
                    .append("\",\"object\":\"line_item\",\"amount\":")
                    .append(1000 + i * 500)
                    .append(",\"currency\":\"eur\",\"description\":\"1 x Pro plan (at EUR 10.00 / month)\",")
                    .append("\"period\":{\"start\":1767268800,\"end\":1769947200},\"quantity\":1,")
                    .append("\"proration\":false,\"type\":\"subscription\"}");
        }
        return "{\"id\":\"evt_1PqR8sLkdIwHu7ix0aBcDeFg\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
                + "\"created\":1767268800,\"livemode\":false,\"pending_webhooks\":1,"
                + "\"request\":{\"id\":null,\"idempotency_key\":null},\"type\":\"invoice.paid\","
                + "\"data\":{\"object\":{\"id\":\"in_1PqR8rLkdIwHu7ixAbCdEfGh\",\"object\":\"invoice\","
                + "\"account_country\":\"DE\",\"account_name\":\"Hookwarden Demo GmbH\",\"amount_due\":4500,"
                + "\"amount_paid\":4500,\"amount_remaining\":0,\"attempt_count\":1,\"attempted\":true,"
                + "\"billing_reason\":\"subscription_cycle\",\"collection_method\":\"charge_automatically\","
                + "\"currency\":\"eur\",\"customer\":\"cus_QhX1ab2Cd3Ef4G\","
                + "\"customer_email\":\"jenny.rosen@example.com\",\"customer_name\":\"Jenny Rosen\","
                + "\"hosted_invoice_url\":\"https://invoice.stripe.com/i/acct_1/test_YWNjdF8xLF9RaFgxYWIyQ2QzRWY0Rw\","
                + "\"lines\":{\"object\":\"list\",\"data\":[" + lines + "],\"has_more\":false,"
                + "\"url\":\"/v1/invoices/in_1PqR8rLkdIwHu7ixAbCdEfGh/lines\"},"
                + "\"metadata\":{\"order\":\"ord_8812\",\"plan\":\"pro\"},\"number\":\"HW-0042-0007\","
                + "\"paid\":true,\"period_end\":1769947200,\"period_start\":1767268800,\"status\":\"paid\","
                + "\"subscription\":\"sub_1PqR8qLkdIwHu7ixZyXwVuTs\",\"subtotal\":4500,\"tax\":0,\"total\":4500}}}";
    }

    /** The floor: Jackson's {@code readTree} over the bytes. */
    @Benchmark
    public JsonNode parse() throws IOException {
        return mapper.readTree(body);
    }

    /** What a receiver with schemas does: parse, then find the schema for the type and validate. */
    @Benchmark
    public ValidationResult parseAndValidate() throws IOException {
        JsonNode node = mapper.readTree(body);
        return registry.validate(node, "invoice.paid", null);
    }

    /** Validation alone, on a tree parsed once. */
    @Benchmark
    public ValidationResult validate() {
        return registry.validate(tree, "invoice.paid", null);
    }
}
