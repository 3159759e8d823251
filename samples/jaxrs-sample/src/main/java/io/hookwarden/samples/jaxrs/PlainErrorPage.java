package io.hookwarden.samples.jaxrs;

import io.hookwarden.samples.support.ErrorAnswer;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * Grizzly's error page replaced by {@link ErrorAnswer}: the status and its title, where Grizzly's default page names
 * itself and its version and prints the exception with its stack trace (issue 12: {@code POST /webhooks/%zz} showed
 * a {@code URISyntaxException}). Thread-safe.
 */
final class PlainErrorPage implements ErrorPageGenerator {
    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        request.getResponse().setContentType(ErrorAnswer.CONTENT_TYPE);
        return ErrorAnswer.body(status);
    }
}
