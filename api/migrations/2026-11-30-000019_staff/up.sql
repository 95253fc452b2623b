-- The back office: staff who log in with a password, their server-side sessions, API keys for
-- integrators, the failed logins that throttle a client, and the audit log of admin writes.
CREATE TABLE staff (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email                 text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    role                  text NOT NULL CHECK (role IN ('owner', 'manager', 'fulfilment', 'viewer')),
    -- argon2id, in the PHC string format (algorithm, parameters and salt included).
    password_hash         text NOT NULL,
    -- A one-time password was given out: nothing but changing it is allowed until it is.
    must_change_password  boolean NOT NULL DEFAULT false,
    active                boolean NOT NULL DEFAULT true,
    -- Failed logins since the last success; every LOCK_AFTER of them lock the account a while.
    failed_logins         integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until          timestamptz,
    password_changed_at   timestamptz NOT NULL DEFAULT now(),
    created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX staff_email_idx ON staff (email);

-- A session is known by the SHA-256 of its cookie: a copy of this table opens no session.
CREATE TABLE staff_sessions (
    token_hash    bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    staff_id      uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    client_addr   text NOT NULL
);

CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);

CREATE TABLE api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role          text NOT NULL CHECK (role IN ('owner', 'manager', 'fulfilment', 'viewer')),
    -- The SHA-256 of the key, which is shown once and never stored.
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- The key's first characters, so that a person can tell keys apart.
    prefix        text NOT NULL,
    created_by    uuid REFERENCES staff (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Failed logins by client address, whatever the email: they throttle a client that guesses
-- across many accounts. Rows older than the window are deleted as new ones arrive.
CREATE TABLE login_failures (
    id           bigserial PRIMARY KEY,
    client_addr  text NOT NULL,
    failed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_failures_client_idx ON login_failures (client_addr, failed_at);

-- Rows are only ever inserted: the API has no operation that changes or deletes one.
CREATE TABLE audit_events (
    id            bigserial PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    actor_kind    text NOT NULL CHECK (actor_kind IN ('staff', 'api_key', 'bootstrap_token', 'anonymous')),
    -- The staff member or API key; none for the bootstrap token and for failed logins.
    actor_id      uuid,
    -- The email or key name as it was then, so the log reads the same after a rename.
    actor_label   text NOT NULL,
    -- The OpenAPI operationId, or login/logout/login_failed.
    operation     text NOT NULL,
    target_type   text,
    target_id     text,
    client_addr   text NOT NULL,
    status        smallint NOT NULL,
    -- The request's fields, secrets left out.
    summary       jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at DESC, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at DESC);
CREATE INDEX audit_events_target_idx ON audit_events (target_id, occurred_at DESC);
