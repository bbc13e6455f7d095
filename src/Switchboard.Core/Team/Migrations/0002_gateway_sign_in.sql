-- Claude Code signs in to the gateway (its gateway protocol): the device flow, the sessions it opens, the keys
-- bearer tokens are signed with, local passwords and invites, per-group managed settings and what clients report.

-- A local account's password, for teams without an identity provider: 'pbkdf2-sha256$<iterations>$<salt>$<hash>'.
ALTER TABLE users ADD COLUMN password_hash text;

-- One row per device authorization (RFC 8628). The device code is stored hashed: whoever reads this table cannot
-- finish someone else's sign-in. The user code is stored as typed on the page, without its dash.
CREATE TABLE device_codes (
  id                uuid PRIMARY KEY,
  device_code_hash  bytea NOT NULL UNIQUE,
  user_code         text NOT NULL UNIQUE,
  surface           text,
  user_agent        text,
  interval_seconds  integer NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,
  last_polled_at    timestamptz,
  approved_by       uuid REFERENCES users (id) ON DELETE CASCADE,
  denied_at         timestamptz,
  consumed_at       timestamptz
);
CREATE INDEX device_codes_expires ON device_codes (expires_at);

-- What a finished sign-in opens: the access tokens and the chain of refresh tokens it issues all name it, so
-- revoking it (sign-out, a replayed refresh token, an admin) ends every token at once on every replica.
CREATE TABLE gateway_sessions (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  surface       text,
  user_agent    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz,
  revoked_at    timestamptz,
  revoked_why   text
);
CREATE INDEX gateway_sessions_user ON gateway_sessions (user_id);

-- Refresh tokens rotate: each is used once, and a second use of one revokes its session (it was copied).
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  session_id  uuid NOT NULL REFERENCES gateway_sessions (id) ON DELETE CASCADE,
  hash        bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- The ES256 keys bearer tokens are signed with, shared so every replica verifies every token. The newest key signs;
-- a retired key still verifies until every token it signed has expired.
CREATE TABLE signing_keys (
  id           text PRIMARY KEY,
  private_key  bytea NOT NULL,
  public_key   bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);

-- One-time links an admin hands a new member to set their password.
CREATE TABLE invites (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash        bytea NOT NULL UNIQUE,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

-- Claude Code's managed-settings.json for a group's members; NULL means the group sets none.
ALTER TABLE groups ADD COLUMN managed_settings jsonb;

-- The managed-settings checksums sessions report (x-claude-code-managed-settings-checksum), so admins can see
-- machines whose settings are stale; one row per user and value, with when it was last seen.
CREATE TABLE settings_reports (
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  checksum    text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  requests    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, checksum)
);

-- Telemetry (OTLP) received from signed-in clients, counted per user, signal and UTC day; and the sessions it names,
-- for the dashboard's active users and sessions.
CREATE TABLE telemetry_received (
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  signal   text NOT NULL CHECK (signal IN ('metrics', 'logs', 'traces')),
  day      date NOT NULL,
  batches  bigint NOT NULL DEFAULT 0,
  bytes    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, signal, day)
);

CREATE TABLE telemetry_sessions (
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id  text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, session_id)
);
CREATE INDEX telemetry_sessions_last_seen ON telemetry_sessions (last_seen);
