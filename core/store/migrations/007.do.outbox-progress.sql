-- Jembatan store, version 7: durable send progress of outbox items (core/delivery/worker.ts).
-- One outbox item may be several platform messages (text, cards, buttons). The worker records each part
-- before and after sending it, so a worker that dies mid-item resumes after the last delivered part
-- (nothing sent twice) and knows when one part is in doubt (started, not recorded as delivered): senders
-- that can look up what they sent (Slack message metadata) check it; the others send it again.
ALTER TABLE outbox ADD COLUMN parts_sent integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN part_started integer;
