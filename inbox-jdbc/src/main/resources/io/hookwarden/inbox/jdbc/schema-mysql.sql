-- Hookwarden inbox table for MySQL 8.0.1 or later and MariaDB 10.6 or later (InnoDB; both have SKIP LOCKED).
-- One row per (endpoint, dedupe_key): the write is the dedupe. Times are epoch milliseconds.
-- state: PENDING (due at next_attempt_at), IN_FLIGHT (leased to owner_token until next_attempt_at), COMPLETED, DEAD,
-- SKIPPED. ordering_mode: NONE, STRICT or LATEST, with ordering_key and sequence_no.
-- headers is a JSON array of [name, value] pairs; body the raw bytes as received.
-- Keys are compared byte for byte (utf8mb4_bin): event ids that differ only in case are different events.
CREATE TABLE IF NOT EXISTS hookwarden_inbox (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    endpoint        VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    dedupe_key      VARCHAR(512)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    scheme_id       VARCHAR(100)  NOT NULL,
    method          VARCHAR(16)   NOT NULL,
    url             TEXT,
    headers         MEDIUMTEXT    NOT NULL,
    body            LONGBLOB      NOT NULL,
    remote_address  VARCHAR(200),
    event_id        VARCHAR(1024),
    event_type      VARCHAR(1024),
    event_timestamp BIGINT,
    matched_key     VARCHAR(200)  NOT NULL,
    ordering_key    VARCHAR(512)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    ordering_mode   VARCHAR(8)    NOT NULL,
    sequence_no     BIGINT        NOT NULL,
    received_at     BIGINT        NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    attempts        INT           NOT NULL,
    next_attempt_at BIGINT        NOT NULL,
    owner_token     VARCHAR(64),
    last_error      TEXT,
    updated_at      BIGINT        NOT NULL,
    UNIQUE KEY hookwarden_inbox_dedupe (endpoint, dedupe_key),
    INDEX hookwarden_inbox_claim (endpoint, state, next_attempt_at),
    INDEX hookwarden_inbox_ordering (endpoint, ordering_key, sequence_no),
    INDEX hookwarden_inbox_settled (state, updated_at)
) ENGINE = InnoDB;
