package io.hookwarden.cli;

import io.hookwarden.Scheme;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --scheme ID}, shared by {@code verify}, {@code sign} and {@code send}. */
final class SchemeOption {
    @Option(
            names = "--scheme",
            required = true,
            paramLabel = "ID",
            completionCandidates = SchemeIds.class,
            description = "The provider's scheme: ${COMPLETION-CANDIDATES}.")
    String id;

    /** The built-in scheme named; an unknown id is a usage error listing the known ones. */
    Scheme resolve(CommandSpec spec) {
        return Args.scheme(spec, id);
    }
}
