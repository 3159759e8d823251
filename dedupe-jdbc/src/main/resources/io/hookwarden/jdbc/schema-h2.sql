-- Hookwarden dedupe table for H2 2.x.
-- One row per dedupe key: CLAIMED while a handler runs, COMPLETED for the retention window.
-- expires_at is epoch milliseconds: the end of the lease (CLAIMED) or of the retention (COMPLETED).
CREATE TABLE IF NOT EXISTS hookwarden_dedupe (
    dedupe_key  VARCHAR(512) NOT NULL PRIMARY KEY,
    state       VARCHAR(16)  NOT NULL,
    owner_token VARCHAR(64)  NOT NULL,
    expires_at  BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS hookwarden_dedupe_expires_at ON hookwarden_dedupe (expires_at);
