-- Matching orders the candidates by their open assignments (offered or accepted). Counted through
-- assignment_engineer, that read every assignment an engineer ever had and checked its status, so
-- each match cost more as the history grew (the bench saw engineer-service's database share rise
-- over one run). This partial index holds the open ones only: the count reads those and nothing
-- else, whatever the history (MatchingCostTest).
create index assignment_open_by_engineer on assignment (engineer_id) where status in ('OFFERED', 'ACCEPTED');
