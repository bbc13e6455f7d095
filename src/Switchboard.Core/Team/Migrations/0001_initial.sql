-- Team mode's first schema: who may call (users, groups, keys), what they may spend (limits), what they did
-- (the request ledger) and who changed what (the audit log).

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  display_name  text NOT NULL DEFAULT '',
  role          text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE groups (
  id                 uuid PRIMARY KEY,
  name               text NOT NULL UNIQUE,
  -- Globs over provider names and provider:model targets; empty allows everything.
  allowed_providers  text[] NOT NULL DEFAULT '{}',
  allowed_models     text[] NOT NULL DEFAULT '{}',
  default_model      text,
  -- The group's own routes and rules, in the config file's shape.
  routes             jsonb,
  rules              jsonb,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  group_id  uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The key's first characters, shown in lists so a person can tell keys apart; the key itself is shown once.
  prefix        text NOT NULL UNIQUE,
  -- SHA-256 of the whole key: keys are long and random, so a slow password hash would buy nothing.
  hash          bytea NOT NULL UNIQUE,
  name          text NOT NULL DEFAULT '',
  scopes        text[] NOT NULL DEFAULT '{}',
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE limits (
  id            uuid PRIMARY KEY,
  subject_kind  text NOT NULL CHECK (subject_kind IN ('user', 'group', 'key')),
  subject_id    uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('spend_usd', 'requests_per_minute', 'tokens_per_minute', 'concurrent_requests')),
  -- Spend caps count by day, week or month; rate and concurrency limits have no period.
  period        text CHECK (period IN ('day', 'week', 'month')),
  amount        numeric NOT NULL CHECK (amount >= 0),
  CHECK ((kind = 'spend_usd') = (period IS NOT NULL))
);
CREATE UNIQUE INDEX limits_one_per_subject ON limits (subject_kind, subject_id, kind, coalesce(period, ''));

-- The SQLite ledger's columns, plus who asked and which replica answered.
CREATE TABLE requests (
  -- Chosen by the replica before the first write, so a batch sent again after a failure is not counted twice.
  id                  uuid PRIMARY KEY,
  time                timestamptz NOT NULL,
  replica             text NOT NULL,
  user_id             uuid,
  key_id              uuid,
  group_id            uuid,
  session             text,
  duty                text NOT NULL,
  rule                text,
  provider            text NOT NULL,
  model               text NOT NULL,
  requested_model     text NOT NULL,
  input_tokens        bigint NOT NULL,
  output_tokens       bigint NOT NULL,
  cache_read_tokens   bigint NOT NULL,
  cache_write_tokens  bigint NOT NULL,
  ttfb_ms             integer,
  latency_ms          integer NOT NULL,
  status              integer NOT NULL,
  error               text,
  fallbacks           integer NOT NULL,
  streamed            boolean NOT NULL,
  cost                double precision,
  requested_cost      double precision
);
CREATE INDEX requests_time ON requests (time);
CREATE INDEX requests_user_time ON requests (user_id, time);
CREATE INDEX requests_group_time ON requests (group_id, time);

CREATE TABLE audit_log (
  id       bigserial PRIMARY KEY,
  time     timestamptz NOT NULL DEFAULT now(),
  -- A user id, an admin key's prefix, or 'config' for changes made by the config file.
  actor    text NOT NULL,
  action   text NOT NULL CHECK (action IN ('admin_change', 'sign_in', 'key_use', 'block')),
  subject  text,
  detail   jsonb
);
CREATE INDEX audit_log_time ON audit_log (time);
