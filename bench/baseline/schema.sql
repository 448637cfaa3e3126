-- The pure-SQL peer that Mutua's transfer throughput is compared with.
--
-- It follows the design of pgledger: the whole transfer is one SQL function
-- call, so a client needs a single round trip. The function locks the two
-- accounts in id order (so that two opposite transfers cannot deadlock),
-- checks the sender's floor and the receiver's ceiling, inserts the transfer
-- and its two entries with the balances before and after and a per-account
-- version, and updates both balances. Amounts are integers of minor units.
--
-- It deliberately does less than Mutua: no tenants, no idempotency keys, no
-- hash chain, no authentication. The gap between the two is the price of
-- those features plus HTTP and GraphQL.

DROP FUNCTION IF EXISTS baseline_transfer(bigint, bigint, bigint);
DROP TABLE IF EXISTS baseline_entries;
DROP TABLE IF EXISTS baseline_transfers;
DROP TABLE IF EXISTS baseline_accounts;

CREATE TABLE baseline_accounts (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  balance bigint NOT NULL DEFAULT 0,
  version bigint NOT NULL DEFAULT 0,
  floor bigint,
  ceiling bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE baseline_transfers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_account_id bigint NOT NULL REFERENCES baseline_accounts (id),
  to_account_id bigint NOT NULL REFERENCES baseline_accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (from_account_id <> to_account_id)
);

CREATE TABLE baseline_entries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES baseline_accounts (id),
  transfer_id bigint NOT NULL REFERENCES baseline_transfers (id),
  amount bigint NOT NULL,
  account_previous_balance bigint NOT NULL,
  account_current_balance bigint NOT NULL,
  account_version bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (account_current_balance = account_previous_balance + amount)
);

-- Statements read an account's entries in version order.
CREATE UNIQUE INDEX baseline_entries_account_version ON baseline_entries (account_id, account_version);
CREATE INDEX baseline_entries_transfer ON baseline_entries (transfer_id);

CREATE FUNCTION baseline_transfer(p_from bigint, p_to bigint, p_amount bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  v_from baseline_accounts;
  v_to baseline_accounts;
  v_transfer_id bigint;
BEGIN
  IF p_from = p_to THEN
    RAISE EXCEPTION 'a transfer needs two different accounts';
  END IF;
  IF p_amount <= 0 THEN
    RAISE EXCEPTION 'the amount must be positive';
  END IF;

  -- Lock both accounts, lowest id first.
  IF p_from < p_to THEN
    SELECT * INTO STRICT v_from FROM baseline_accounts WHERE id = p_from FOR UPDATE;
    SELECT * INTO STRICT v_to FROM baseline_accounts WHERE id = p_to FOR UPDATE;
  ELSE
    SELECT * INTO STRICT v_to FROM baseline_accounts WHERE id = p_to FOR UPDATE;
    SELECT * INTO STRICT v_from FROM baseline_accounts WHERE id = p_from FOR UPDATE;
  END IF;

  IF v_from.floor IS NOT NULL AND v_from.balance - p_amount < v_from.floor THEN
    RAISE EXCEPTION 'account % would go below its floor', p_from;
  END IF;
  IF v_to.ceiling IS NOT NULL AND v_to.balance + p_amount > v_to.ceiling THEN
    RAISE EXCEPTION 'account % would go above its ceiling', p_to;
  END IF;

  INSERT INTO baseline_transfers (from_account_id, to_account_id, amount)
  VALUES (p_from, p_to, p_amount)
  RETURNING id INTO v_transfer_id;

  INSERT INTO baseline_entries
    (account_id, transfer_id, amount, account_previous_balance, account_current_balance, account_version)
  VALUES
    (p_from, v_transfer_id, -p_amount, v_from.balance, v_from.balance - p_amount, v_from.version + 1),
    (p_to, v_transfer_id, p_amount, v_to.balance, v_to.balance + p_amount, v_to.version + 1);

  UPDATE baseline_accounts
  SET balance = balance - p_amount, version = version + 1, updated_at = now()
  WHERE id = p_from;
  UPDATE baseline_accounts
  SET balance = balance + p_amount, version = version + 1, updated_at = now()
  WHERE id = p_to;

  RETURN v_transfer_id;
END;
$$;
