-- Who each engineer is at the identity provider: the subject (sub) of their tokens, Keycloak's user
-- id. An engineer's requests act on the record linked to their token's subject, never on an id the
-- request names. One record per account: the constraint, not a check before the insert, is what
-- keeps two registrations racing for one account from both succeeding (the second is a 409).
alter table engineer add column account_id varchar(64);

-- Engineers registered before accounts existed (development data only) are linked to no real
-- account: a placeholder no identity provider issues ("unlinked-" and the engineer's id), so that
-- every engineer has one and the column can be required. Nobody can sign in as them; an operator
-- still sees them, and may deactivate them.
update engineer set account_id = 'unlinked-' || id where account_id is null;

alter table engineer alter column account_id set not null;
alter table engineer add constraint engineer_account_once unique (account_id);
