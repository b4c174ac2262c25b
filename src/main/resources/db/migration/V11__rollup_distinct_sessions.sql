-- Distinct sessions that reported on a path in a minute, maintained on ingest (a session counts
-- once per minute and path however often it reports). Until now the series showed reports per
-- minute, six times the sessions when daemons report every 10 s.
alter table telemetry_rollups add column sessions bigint;

-- Rows written before this migration: exact where their raw reports are still held; rows whose
-- raw reports have expired keep null (unknown), which the series shows as no figure.
update telemetry_rollups t set sessions = r.sessions
from (select rollout_key, path, date_trunc('minute', period_end) as minute, count(distinct session_id) as sessions
      from telemetry_reports group by 1, 2, 3) r
where t.rollout_key = r.rollout_key and t.path = r.path and t.minute = r.minute;
