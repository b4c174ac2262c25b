-- The console's live pages: every audited change (actions, canary edits, sign-offs, the evaluator's
-- decisions) and every evaluation pass announces its rollout on the 'rollout_console' channel. The
-- notification is delivered on commit, to every replica, whichever route made the change.
create function notify_console() returns trigger language plpgsql as $$
begin
    if new.rollout_key is not null then
        perform pg_notify('rollout_console', new.rollout_key);
    end if;
    return null;
end;
$$;

create trigger rollout_events_notify_console after insert on rollout_events
    for each row execute function notify_console();
create trigger evaluations_notify_console after insert on evaluations
    for each row execute function notify_console();
