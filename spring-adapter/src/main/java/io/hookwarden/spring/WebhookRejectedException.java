package io.hookwarden.spring;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.WebhookReceiver;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A webhook delivery refused before (or while) its handler was reached: thrown by the adapter for a {@link
 * Outcome.Rejected rejected} outcome, a body over the size cap, or a payload that does not bind. Its {@link #getBody()
 * ProblemDetail} is the core's {@code application/problem+json} answer (type, title, status and the {@code reason}
 * code), and its {@link #getHeaders() headers} carry {@code Retry-After} where the provider should retry.
 *
 * <p>The default {@code @ControllerAdvice} answers it as is; an application's own {@code @ControllerAdvice} with an
 * {@code @ExceptionHandler} for this type, ordered before it, takes over. The message is for logs: it names headers,
 * times and limits, never a secret, an expected signature or a payload value; it is not sent to the sender. Immutable.
 */
public class WebhookRejectedException extends ErrorResponseException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final Reason reason;
    private final String detail;
    private final transient HttpAnswer answer;
    private final transient Outcome.Rejected outcome;

    /**
     * The exception for a rejected outcome.
     *
     * @param endpoint the endpoint's name
     * @param outcome what the receiver made of the delivery
     * @throws NullPointerException if endpoint or outcome is null
     */
    public WebhookRejectedException(String endpoint, Outcome.Rejected outcome) {
        this(endpoint, outcome.reason(), outcome.detail(), outcome.answer(), outcome);
    }

    /**
     * The exception for a refusal the adapter or the application decides, answered like the core would, with {@link
     * WebhookReceiver#DEFAULT_RETRY_AFTER} when the reason is retryable.
     *
     * @param endpoint the endpoint's name
     * @param reason why
     * @param detail a message for the logs; never sent to the sender
     * @throws NullPointerException if endpoint or reason is null
     */
    public WebhookRejectedException(String endpoint, Reason reason, String detail) {
        this(endpoint, reason, detail, HttpAnswer.problem(reason, WebhookReceiver.DEFAULT_RETRY_AFTER), null);
    }

    /**
     * The exception for a refusal the adapter or the application decides, answered with the endpoint's own answer for
     * its reason ({@link WebhookReceiver#answer(Reason)}, with the endpoint's {@code Retry-After}).
     *
     * @param endpoint the endpoint's name
     * @param answer the problem answer, such as {@code receiver.answer(Reason.MALFORMED_PAYLOAD)}
     * @param detail a message for the logs; never sent to the sender
     * @throws NullPointerException if endpoint or answer is null
     * @throws IllegalArgumentException if the answer is not a problem answer (it has no {@link HttpAnswer#reason()})
     */
    public WebhookRejectedException(String endpoint, HttpAnswer answer, String detail) {
        this(
                endpoint,
                Objects.requireNonNull(answer, "answer cannot be null")
                        .reason()
                        .orElseThrow(() -> new IllegalArgumentException("answer must be a problem but was " + answer)),
                detail,
                answer,
                null);
    }

    private WebhookRejectedException(
            String endpoint, Reason reason, String detail, HttpAnswer answer, Outcome.Rejected outcome) {
        super(HttpStatusCode.valueOf(answer.status()), problem(answer), null);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint cannot be null");
        this.reason = Objects.requireNonNull(reason, "reason cannot be null");
        this.detail = detail;
        this.answer = answer;
        this.outcome = outcome;
        answer.retryAfter().ifPresent(after -> getHeaders().set("Retry-After", Long.toString(after.toSeconds())));
        answer.headers().forEach((name, value) -> {
            // Content-Type is the renderer's; any other header (Allow on a 405) goes out as the core set it
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Retry-After")) {
                getHeaders().set(name, value);
            }
        });
    }

    /**
     * The core's problem document as a Spring {@link ProblemDetail}, from the answer's members as data: type, title,
     * status, the {@code reason} code and every extra member ({@code violations}, a {@code detail}); nothing added.
     */
    static ProblemDetail problem(HttpAnswer answer) {
        ProblemDetail problem = ProblemDetail.forStatus(answer.status());
        answer.type().ifPresent(type -> problem.setType(URI.create(type)));
        answer.title().ifPresent(problem::setTitle);
        answer.reason().ifPresent(reason -> problem.setProperty("reason", reason.name()));
        answer.problemExtras().forEach((name, value) -> {
            switch (name) {
                case "detail" -> problem.setDetail(String.valueOf(value));
                case "instance" -> problem.setInstance(URI.create(String.valueOf(value)));
                default -> problem.setProperty(name, value);
            }
        });
        return problem;
    }

    /** The endpoint's name. */
    public String endpoint() {
        return endpoint;
    }

    /** Why the delivery was refused. */
    public Reason reason() {
        return reason;
    }

    /** A message for the logs (headers, times, limits); never sent to the sender. May be null. */
    public String detail() {
        return detail;
    }

    /** The core's answer, verbatim: status, headers ({@code Retry-After}) and problem document. */
    public HttpAnswer answer() {
        return answer;
    }

    /** The receiver's outcome, when the refusal came from the receiver rather than the adapter. */
    public Optional<Outcome.Rejected> outcome() {
        return Optional.ofNullable(outcome);
    }

    @Override
    public String getMessage() {
        return "webhook refused at endpoint " + endpoint + ": " + reason + (detail == null ? "" : ": " + detail);
    }
}
