-- A parked event that can never be applied (unreadable, or refused by its step) keeps its place
-- in its source's order: when the gap before it is filled it is passed over, not applied, and the
-- events after it go on. The reason is why it went to the dead-letter topic.
alter table deferred_event add column rejection varchar(1000);
