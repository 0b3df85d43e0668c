-- Schema version 2: the FSRS parameters `flashnotes optimize` fitted to this learner's log.
-- They describe the learner, not the deck, so they live beside the log. No row: defaults.

CREATE TABLE fsrs_parameters (
    id               INTEGER PRIMARY KEY CHECK (id = 1),  -- at most one set: the one in use
    parameters       TEXT NOT NULL,        -- JSON list of the 21 FSRS-6 weights
    fitted_at        TEXT NOT NULL,        -- ISO 8601, UTC
    review_count     INTEGER NOT NULL,     -- reviews in the log when they were fitted
    log_loss         REAL NOT NULL,        -- fitted set, evaluated on those reviews
    rmse             REAL NOT NULL,
    default_log_loss REAL NOT NULL,        -- defaults, evaluated on the same reviews
    default_rmse     REAL NOT NULL
);
