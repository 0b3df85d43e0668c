-- The quiz's review database, schema version 1 (PRAGMA user_version).
-- The review log is the truth; card_state is the latest state_after of each side's log,
-- kept beside it so the quiz need not replay anything (store.rebuild_state() recomputes it).
-- Times are ISO 8601 in UTC with microseconds, so they sort as text.

CREATE TABLE card_state (
    side_key    TEXT PRIMARY KEY,          -- `<id>`, `<id>:reverse`, `<id>:cN`
    state       INTEGER NOT NULL,          -- FSRS state: 1 learning, 2 review, 3 relearning
    step        INTEGER,                   -- learning or relearning step, NULL in review
    stability   REAL,
    difficulty  REAL,
    due         TEXT NOT NULL,
    last_review TEXT
) WITHOUT ROWID;

CREATE INDEX card_state_due ON card_state (due);

CREATE TABLE review_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after an undo
    side_key     TEXT NOT NULL,
    reviewed_at  TEXT NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms  INTEGER,
    state_before TEXT,                     -- JSON; NULL when the card was new
    state_after  TEXT NOT NULL,            -- JSON
    session      TEXT NOT NULL             -- which quiz session wrote it (undo stays in one)
);

CREATE INDEX review_log_side ON review_log (side_key, id);
CREATE INDEX review_log_time ON review_log (reviewed_at);
