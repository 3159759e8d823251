-- Hookwarden dedupe table for MySQL 5.7 or later and MariaDB 10.3 or later (InnoDB).
-- One row per dedupe key: CLAIMED while a handler runs, COMPLETED for the retention window.
-- expires_at is epoch milliseconds: the end of the lease (CLAIMED) or of the retention (COMPLETED).
-- The key is compared byte for byte (utf8mb4_bin): event ids that differ only in case are different events.
CREATE TABLE IF NOT EXISTS hookwarden_dedupe (
    dedupe_key  VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    state       VARCHAR(16)  NOT NULL,
    owner_token VARCHAR(64)  NOT NULL,
    expires_at  BIGINT       NOT NULL,
    INDEX hookwarden_dedupe_expires_at (expires_at)
) ENGINE = InnoDB;
