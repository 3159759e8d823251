package io.hookwarden.samples.servlet;

import io.hookwarden.samples.support.EventLog;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /events}: the deliveries the handlers processed, in order, as a JSON array. */
final class EventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient EventLog log;

    EventsServlet(EventLog log) {
        this.log = log;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] json = log.toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
