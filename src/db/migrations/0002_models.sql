-- Learned classifier models: the global one and one per account, each a versioned serialised snapshot.
CREATE TABLE models (
  -- 'global', or the account's id
  scope text PRIMARY KEY,
  -- bumped by every snapshot; instances poll it and writers compare-and-set on it
  version bigint NOT NULL,
  -- the model as `serialiseModel` writes it
  body text NOT NULL,
  examples integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
