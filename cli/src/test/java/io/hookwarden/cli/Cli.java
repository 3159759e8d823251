package io.hookwarden.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in this JVM, capturing standard output and error. */
final class Cli {
    /** The published Standard Webhooks test vector. */
    static final String SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static final String SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SW_TIMESTAMP = 1614265330L;
    static final String SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final String SW_BODY = "{\"test\": 2432232314}";

    private Cli() {}

    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HookwardenCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The vector's verify arguments, followed by {@code more}. */
    static String[] vectorVerify(String... more) {
        String[] base = {
            "verify",
            "--scheme",
            "standard-webhooks",
            "--secret",
            SW_SECRET,
            "--header",
            "webhook-id: " + SW_ID,
            "--header",
            "webhook-timestamp: " + SW_TIMESTAMP,
            "--header",
            "webhook-signature: " + SW_SIGNATURE
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
