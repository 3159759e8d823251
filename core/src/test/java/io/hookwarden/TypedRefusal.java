package io.hookwarden;

/** The fuzz targets' one property of a call on untrusted input (issue 17): it returns, or refuses with a typed exception. */
final class TypedRefusal {
    private TypedRefusal() {}

    /**
     * Passes when {@code thrown} is null or one of {@code allowed}; otherwise fails with {@code thrown} as the cause,
     * so the finding shows where it was thrown.
     */
    @SafeVarargs
    static void check(String what, Throwable thrown, Class<? extends Throwable>... allowed) {
        if (thrown == null) {
            return;
        }
        for (Class<? extends Throwable> type : allowed) {
            if (type.isInstance(thrown)) {
                return;
            }
        }
        throw new AssertionError(what + " threw " + thrown + ", not a typed refusal", thrown);
    }
}
