package io.hookwarden;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What validating one event (or a batch of them) against its schema found: every {@link Violation}, never a payload
 * value. Immutable and thread-safe.
 *
 * <pre>{@code
 * ValidationResult result = registry.validate(json, "invoice.paid", null);
 * result.violations().forEach(v -> log.info("{} failed {}", v.pointer(), v.keyword()));
 * result.orThrow();                                        // InvalidPayloadException SCHEMA_VIOLATION
 * }</pre>
 */
public final class ValidationResult {
    private static final ValidationResult VALID = new ValidationResult(List.of());

    private final List<Violation> violations;

    private ValidationResult(List<Violation> violations) {
        this.violations = violations;
    }

    /** No violations. */
    public static ValidationResult valid() {
        return VALID;
    }

    /**
     * A result with these violations, sorted by pointer and keyword, duplicates removed.
     *
     * @throws NullPointerException if violations or one of them is null
     */
    public static ValidationResult of(List<Violation> violations) {
        Objects.requireNonNull(violations, "violations cannot be null");
        if (violations.isEmpty()) {
            return VALID;
        }
        return new ValidationResult(violations.stream().sorted().distinct().collect(Collectors.toUnmodifiableList()));
    }

    /** Whether the event satisfied its schema. */
    public boolean isValid() {
        return violations.isEmpty();
    }

    /** Every violation, sorted by pointer, then keyword. */
    public List<Violation> violations() {
        return violations;
    }

    /** The failing pointers, in order, each once. */
    public List<String> pointers() {
        return violations.stream().map(Violation::pointer).distinct().collect(Collectors.toUnmodifiableList());
    }

    /** This result and {@code other}'s violations together. */
    ValidationResult and(ValidationResult other) {
        if (other.isValid()) {
            return this;
        }
        if (isValid()) {
            return other;
        }
        List<Violation> all = new ArrayList<>(violations);
        all.addAll(other.violations);
        return of(all);
    }

    /** This result with every pointer moved under {@code prefix}, such as {@code /3} for the fourth event of a batch. */
    ValidationResult under(String prefix) {
        if (isValid() || prefix.isEmpty()) {
            return this;
        }
        List<Violation> moved = new ArrayList<>(violations.size());
        violations.forEach(v -> moved.add(v.under(prefix)));
        return of(moved);
    }

    /**
     * Nothing when valid.
     *
     * @return this result, when valid
     * @throws InvalidPayloadException SCHEMA_VIOLATION with every violation, when not valid
     */
    public ValidationResult orThrow() {
        if (!isValid()) {
            throw new InvalidPayloadException(Reason.SCHEMA_VIOLATION, describe(), violations);
        }
        return this;
    }

    /** A message for logs: the count and the violations, capped at twenty. */
    String describe() {
        int shown = Math.min(20, violations.size());
        String list =
                violations.subList(0, shown).stream().map(Violation::toString).collect(Collectors.joining(", "));
        return violations.size() + " schema violation(s): " + list + (shown < violations.size() ? ", ..." : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationResult that && violations.equals(that.violations);
    }

    @Override
    public int hashCode() {
        return violations.hashCode();
    }

    @Override
    public String toString() {
        return isValid() ? "ValidationResult[valid]" : "ValidationResult[" + describe() + "]";
    }
}
