package io.hookwarden.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar hookwarden.jar}: check a signature by hand, sign a test delivery, send one, or list, replay and purge
 * the deliveries of a JDBC inbox. A translation layer
 * over the core: options become a {@code WebhookVerifier}, {@code WebhookSigner} or {@code WebhookRequest}, and
 * results become lines and exit codes.
 */
@Command(
        name = "hookwarden",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Check a webhook signature by hand, sign a test delivery, send one, or look after a JDBC inbox or a Kafka inbox's dead letters.",
        subcommands = {
            SchemesCommand.class,
            VerifyCommand.class,
            SignCommand.class,
            SendCommand.class,
            InboxCommand.class,
            KafkaInboxCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a delivery is invalid, or a send attempt failed",
            "2:usage error (bad option or input)"
        })
public final class HookwardenCli {
    /** Exit code of a usage error: picocli's own, used for ours too. */
    static final int USAGE = CommandLine.ExitCode.USAGE;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandLine commandLine(String[] args) {
        Redactor redactor = new Redactor(secretsIn(args));
        CommandLine commandLine = new CommandLine(new HookwardenCli());
        commandLine.setParameterExceptionHandler((ex, ignored) -> {
            CommandLine failed = ex.getCommandLine();
            PrintWriter err = failed.getErr();
            String message = String.valueOf(ex.getMessage());
            if (message.startsWith("Error: ")) {
                message = message.substring("Error: ".length()); // picocli's group messages carry it
            }
            if (!(ex instanceof Args.UsageError)) {
                message = redactor.redact(message); // picocli's messages may quote any argument
            }
            err.println(failed.getCommandName() + ": " + message);
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, failed, ignored) -> {
            // A bug, not a verdict: name it without a stack trace of values.
            failed.getErr()
                    .println(failed.getCommandName() + ": internal error: " + redactor.redact(String.valueOf(ex)));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }

    /**
     * The values given to {@code --secret} and {@code --jdbc-url} (whose query may hold a password), to keep them out of
     * error messages picocli or the JDK compose.
     */
    private static List<String> secretsIn(String[] args) {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null) {
                continue;
            }
            for (String option : new String[] {"--secret", "--jdbc-url"}) {
                if (arg.equals(option) && i + 1 < args.length && args[i + 1] != null) {
                    secrets.add(args[i + 1]);
                } else if (arg.startsWith(option + "=")) {
                    secrets.add(arg.substring(option.length() + 1));
                }
            }
        }
        return secrets;
    }

    /** Replaces every given secret in a message with {@code ***}, longest first. */
    private static final class Redactor {
        private final List<String> secrets;

        Redactor(List<String> secrets) {
            List<String> sorted = new ArrayList<>();
            for (String s : secrets) {
                if (!s.isBlank()) {
                    sorted.add(s);
                }
            }
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            this.secrets = sorted;
        }

        String redact(String message) {
            String result = String.valueOf(message);
            for (String secret : secrets) {
                result = result.replace(secret, "***");
            }
            return result;
        }
    }
}
