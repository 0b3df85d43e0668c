-- Schema version 4: reviews that flow between the quiz and an Anki collection (sync).
-- `origin`: where the rating was given ('quiz' or 'anki'). `anki_revlog_id`: the row of
-- Anki's review log this review is, once sync has matched or written it (NULL: not yet).

ALTER TABLE review_log ADD COLUMN origin TEXT NOT NULL DEFAULT 'quiz';
ALTER TABLE review_log ADD COLUMN anki_revlog_id INTEGER;

CREATE INDEX review_log_anki ON review_log (anki_revlog_id);
