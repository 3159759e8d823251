package io.hookwarden.samples.servlet;

/**
 * A real store server a test can stop and start again at the same address, keeping what it had written (as a
 * production store with persistence does), for {@link StoreFaultsTest}. Not thread-safe: one test drives it.
 */
interface RestartableStore extends AutoCloseable {
    /** What {@code HOOKWARDEN_STORE} names to reach it: a {@code redis://} or {@code jdbc:} URL. */
    String url();

    /** Stops the server; returns once it no longer answers. */
    void stop();

    /** Starts the stopped server again on the same port with the same data; returns once it answers. */
    void restart();

    /** Stops the server and deletes its data. */
    @Override
    void close();
}
