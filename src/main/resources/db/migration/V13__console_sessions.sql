-- Console sessions, shared by every replica (decision 0011): a browser signed in on one replica is
-- signed in on all of them, and signing out ends the session everywhere. The cookie's id is stored
-- only as its SHA-256, like API tokens, so a read of this table cannot be replayed as a cookie.
create table console_sessions (
    id_hash       char(64)     primary key,
    token_hash    char(64)     not null,
    csrf_token    varchar(64)  not null,
    signed_in_at  timestamptz  not null,
    last_seen     timestamptz  not null
);
create index console_sessions_last_seen on console_sessions (last_seen);
