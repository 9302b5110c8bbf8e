-- LeadGuard schema, version 1. Frozen once committed: later changes go in new numbered files.

CREATE TABLE organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL,
  site_domains text[] NOT NULL DEFAULT '{}',
  -- thresholds, check switches, language, frequency: the account layer of the engine's configuration
  settings jsonb NOT NULL DEFAULT '{}',
  retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 1 AND 3650),
  hold_minutes integer NOT NULL DEFAULT 0 CHECK (hold_minutes BETWEEN 0 AND 10080),
  allowlist_only text[] NOT NULL DEFAULT '{}',
  -- bumped on every change to rules, keywords, segments, settings or a form's layer: the compiled-config cache key
  config_version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_organization ON accounts (organization_id);

CREATE TABLE forms (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  public_key text NOT NULL UNIQUE,
  name text NOT NULL,
  site_domains text[] NOT NULL DEFAULT '{}',
  settings jsonb NOT NULL DEFAULT '{}',
  honeypot_field text NOT NULL DEFAULT 'lg_extra_notes',
  thank_you_url text,
  notification_recipients text[] NOT NULL DEFAULT '{}',
  autoresponder_enabled boolean NOT NULL DEFAULT false,
  autoresponder jsonb,
  crm_targets jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX forms_account ON forms (account_id);

CREATE TABLE contacts (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  email text,
  phone text,
  name text,
  fields jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contacts_account_email ON contacts (account_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX contacts_account_phone ON contacts (account_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE activities (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  form_id uuid REFERENCES forms (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  kind text NOT NULL CHECK (kind IN ('lead', 'call')),
  channel text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'quarantined', 'deleted')),
  name text,
  email text,
  phone text,
  subject text,
  message text,
  fields jsonb NOT NULL DEFAULT '{}',
  verdict jsonb NOT NULL,
  main_reason text,
  -- the check behind the main reason, for reports by check
  main_check text,
  ip text,
  user_agent text,
  referrer text,
  page_url text,
  fingerprint text,
  received_at timestamptz NOT NULL,
  status_changed_at timestamptz NOT NULL,
  deleted_at timestamptz
);
CREATE INDEX activities_list ON activities (account_id, status, received_at DESC, id DESC);
CREATE INDEX activities_contact ON activities (account_id, contact_id, received_at DESC);
CREATE INDEX activities_fingerprint ON activities (account_id, fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX activities_retention ON activities (status, status_changed_at) WHERE status = 'quarantined';

CREATE TABLE history_events (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  contact_id uuid REFERENCES contacts (id),
  activity_id uuid REFERENCES activities (id),
  type text NOT NULL,
  actor_user_id uuid,
  via text NOT NULL CHECK (via IN ('panel', 'api', 'email_link', 'akismet', 'system')),
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX history_contact ON history_events (account_id, contact_id, at DESC);
CREATE INDEX history_activity ON history_events (account_id, activity_id, at DESC);

CREATE TABLE segments (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  name text NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);

CREATE TABLE rules (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  action text NOT NULL CHECK (action IN ('block', 'allow')),
  dimension text NOT NULL CHECK (dimension IN ('email', 'domain', 'phone', 'area_code', 'segment')),
  value text NOT NULL,
  note text,
  hit_count bigint NOT NULL DEFAULT 0,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, action, dimension, value)
);

CREATE TABLE keywords (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  phrase text NOT NULL,
  note text,
  hit_count bigint NOT NULL DEFAULT 0,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, phrase)
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  name text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  user_id uuid NOT NULL REFERENCES users (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'contact_admin', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, account_id)
);
CREATE INDEX memberships_account ON memberships (account_id);

CREATE TABLE organization_admins (
  user_id uuid NOT NULL REFERENCES users (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  PRIMARY KEY (user_id, organization_id)
);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'contact_admin', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);

CREATE TABLE training_marks (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  activity_id uuid REFERENCES activities (id),
  label text NOT NULL CHECK (label IN ('spam', 'ham')),
  source text NOT NULL CHECK (source IN ('user', 'auto')),
  by_user_id uuid,
  -- the lead as screened, so a mark can train after the activity is purged
  sample jsonb,
  created_at timestamptz NOT NULL,
  undone_at timestamptz
);
CREATE INDEX training_marks_account ON training_marks (account_id, created_at);
CREATE INDEX training_marks_activity ON training_marks (account_id, activity_id);

CREATE TABLE render_token_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX render_token_nonces_expiry ON render_token_nonces (expires_at);

CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id);

CREATE TABLE deliveries (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id),
  activity_id uuid REFERENCES activities (id),
  kind text NOT NULL CHECK (kind IN ('notification', 'autoresponder', 'crm_email', 'crm_http', 'webhook')),
  target text NOT NULL,
  payload jsonb NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('pending', 'processing', 'sent', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  not_before timestamptz NOT NULL,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'processing');
CREATE INDEX deliveries_activity ON deliveries (account_id, activity_id);

CREATE TABLE delivery_attempts (
  id uuid PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES deliveries (id),
  attempted_at timestamptz NOT NULL,
  outcome text NOT NULL,
  response_code integer,
  response_snippet text,
  duration_ms integer,
  error text
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempted_at);
