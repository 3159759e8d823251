package io.hookwarden;

import java.util.logging.Level;
import java.util.logging.Logger;

/** What the fuzz targets (issue 17) do differently while Jazzer fuzzes them ({@code -Pfuzz}) rather than replays. */
final class FuzzMode {
    /** Held, so the level set on it stays: the logging framework keeps loggers only weakly. */
    private static final Logger HOOKWARDEN = Logger.getLogger("io.hookwarden");

    private FuzzMode() {}

    /**
     * While fuzzing, silences the library's logs (a refusal is logged at WARNING, and the fuzzer makes thousands a
     * second); when replaying the corpus in the normal build, changes nothing, so other tests' log checks are unmoved.
     */
    static void quietLogsWhileFuzzing() {
        String fuzz = System.getenv("JAZZER_FUZZ"); // read as Jazzer reads it: true, 1 or yes
        if (fuzz != null && (fuzz.equalsIgnoreCase("true") || fuzz.equals("1") || fuzz.equalsIgnoreCase("yes"))) {
            HOOKWARDEN.setLevel(Level.OFF);
        }
    }
}
