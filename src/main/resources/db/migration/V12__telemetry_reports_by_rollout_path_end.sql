-- Window statistics read the part of a window's first minute that lies inside the window from the raw reports
-- (decision 0016): at most one minute of one rollout's path, found through this index instead of a scan of every
-- rollout's reports of that minute through telemetry_reports_by_age.
create index telemetry_reports_by_rollout_path_end on telemetry_reports (rollout_key, path, period_end);
