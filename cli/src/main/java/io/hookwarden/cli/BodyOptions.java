package io.hookwarden.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --body TEXT | --body-file FILE}: exactly one, as an exclusive, required argument group. */
class BodyOptions {
    @Option(names = "--body", paramLabel = "TEXT", required = true, description = "The body: the UTF-8 bytes of TEXT.")
    String text;

    @Option(
            names = "--body-file",
            paramLabel = "FILE",
            required = true,
            description = "The body: the exact bytes of FILE.")
    Path file;

    /** The body bytes; call only when one of the two options was given. */
    byte[] bytes(CommandSpec spec) {
        return text != null ? text.getBytes(StandardCharsets.UTF_8) : Args.read(spec, "--body-file", file);
    }
}
