-- Schema version 3: cards the learner set aside from the quiz (not reviews, so not logged).
-- `-` buries a card until the next study day; `@` suspends it until `flashnotes unsuspend`.

CREATE TABLE card_hold (
    side_key     TEXT PRIMARY KEY,
    suspended    INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    buried_until TEXT                      -- UTC, ISO 8601: the start of the next study day
) WITHOUT ROWID;
