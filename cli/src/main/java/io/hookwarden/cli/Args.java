package io.hookwarden.cli;

import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Turns option values into core values; each refusal is a usage error (exit 2) naming the option, never a secret. */
final class Args {
    /** 9999-12-31T23:59:59Z, the largest timestamp the core reads. */
    static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

    private Args() {}

    static ParameterException usage(CommandSpec spec, String message) {
        return new UsageError(spec, message);
    }

    /**
     * A usage error composed here from option names and core messages, which never carry a secret; unlike picocli's
     * own messages, which may echo any argument, it needs no redaction.
     */
    static final class UsageError extends ParameterException {
        private static final long serialVersionUID = 1L;

        UsageError(CommandSpec spec, String message) {
            super(spec.commandLine(), message);
        }
    }

    /** The built-in scheme with this id. */
    static Scheme scheme(CommandSpec spec, String id) {
        try {
            return Schemes.byId(id);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--scheme: " + e.getMessage());
        }
    }

    /** An instant from epoch seconds, within the range the core reads (0 to year 9999). */
    static Instant epochSeconds(CommandSpec spec, String option, long seconds) {
        if (!validEpochSeconds(seconds)) {
            throw usage(spec, option + " must be epoch seconds from 0 to " + MAX_EPOCH_SECONDS + " but was " + seconds);
        }
        return Instant.ofEpochSecond(seconds);
    }

    static boolean validEpochSeconds(long seconds) {
        return seconds >= 0 && seconds <= MAX_EPOCH_SECONDS;
    }

    /** A positive duration in seconds, no longer than the timestamp range (so clock arithmetic cannot overflow). */
    static Duration seconds(CommandSpec spec, String option, long seconds) {
        if (seconds <= 0 || seconds > MAX_EPOCH_SECONDS) {
            throw usage(spec, option + " must be from 1 to " + MAX_EPOCH_SECONDS + " seconds but was " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * A header argument: {@code Name: value}, split at the first colon, blanks around the value removed.
     *
     * @param position 1 for the first {@code --header}; errors name the position rather than quote the argument
     */
    static Header header(CommandSpec spec, String arg, int position) {
        int colon = arg.indexOf(':');
        if (colon < 0) {
            throw usage(spec, "--header #" + position + " must be 'Name: value' but has no ':'");
        }
        String name = trimBlanks(arg.substring(0, colon));
        if (name.isEmpty()) {
            throw usage(spec, "--header #" + position + " must be 'Name: value' but has an empty name");
        }
        return new Header(name, trimBlanks(arg.substring(colon + 1)));
    }

    /** Removes spaces and tabs (HTTP's optional whitespace) from both ends. */
    private static String trimBlanks(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** The exact bytes of a file. */
    static byte[] read(CommandSpec spec, String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw usage(spec, option + ": cannot read " + file + ": " + describe(e));
        }
    }

    /** An exception's message, or its simple class name when it has none (many I/O exceptions say only the path). */
    static String describe(Exception e) {
        String name = e.getClass().getSimpleName();
        String message = e.getMessage();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }

    record Header(String name, String value) {}
}
