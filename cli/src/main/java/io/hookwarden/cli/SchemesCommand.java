package io.hookwarden.cli;

import io.hookwarden.Schemes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code schemes}: the ids of the built-in schemes, one a line. */
@Command(
        name = "schemes",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Print the id of every built-in scheme, one a line.")
final class SchemesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Schemes.ids().forEach(spec.commandLine().getOut()::println);
        return 0;
    }
}
