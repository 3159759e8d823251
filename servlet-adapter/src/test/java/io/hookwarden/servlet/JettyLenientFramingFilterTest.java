package io.hookwarden.servlet;

import org.eclipse.jetty.http.HttpCompliance;

/**
 * The filter's HTTP contract in a Jetty that lets a request with both Content-Length and Transfer-Encoding through to
 * the application, as a lenient container would: the filter itself must refuse it and close the connection.
 */
class JettyLenientFramingFilterTest extends JettyFilterTest {
    @Override
    HttpCompliance compliance() {
        return HttpCompliance.from("RFC7230,TRANSFER_ENCODING_WITH_CONTENT_LENGTH");
    }
}
