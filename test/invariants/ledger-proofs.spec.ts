import { INestApplication } from '@nestjs/common';
import { createPublicKey, verify } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  entryHash,
  GENESIS_HASH,
  merkleRoot,
  TransferRecord,
  transferDigest,
} from '../../src/ledger';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  pay,
  registerUser,
  TestCommunity,
} from '../support/factories';
import { createTestApp, everyCommunity, gql, testOwnerDatabaseUrl } from '../support/test-app';

/**
 * What verifyLedger proves about tampering behind the database's guards
 * (rows changed with the triggers switched off, as the database's owner can):
 * a transfer's record changed under its entries is caught by the entries'
 * version-2 hashes; a history rewritten with every chain computed again by
 * the documented algorithm verifies on its own, and is caught by a signed
 * checkpoint taken before it, which names each account rewritten.
 */
const VERIFY = `query($code: String!, $checkpoint: String) {
  verifyLedger(currencyCode: $code, checkpoint: $checkpoint) { ok problems checkpointAccountsCompared }
}`;
const CHECKPOINT = `query($code: String!) {
  ledgerCheckpoint(currencyCode: $code) {
    id currencyCode takenAt accountCount merkleRoot publicKey signature document
    heads { accountId entryCount hash }
  }
}`;

interface Check {
  ok: boolean;
  problems: string[];
  checkpointAccountsCompared: number | null;
}

describe('ledger proofs: hashes over transfer records and signed checkpoints', () => {
  let app: INestApplication;
  let database: DataSource;
  // The tables' owner: the server's own role cannot act behind the triggers.
  let owner: DataSource;

  beforeAll(async () => {
    app = await createTestApp();
    database = everyCommunity(app.get(DataSource));
    owner = await new DataSource({ type: 'postgres', url: testOwnerDatabaseUrl() }).initialize();
  });

  afterAll(async () => {
    await owner.destroy();
    await app.close();
  });

  async function books() {
    const community = await createCommunity(app);
    await createCurrency(app, community, { defaultFloor: '-50.00' });
    const ana = await registerUser(app, community);
    const ben = await registerUser(app, community);
    const cai = await registerUser(app, community);
    const accounts = {
      ana: await openAccount(app, ana.token, { currencyCode: 'HOUR' }),
      ben: await openAccount(app, ben.token, { currencyCode: 'HOUR' }),
      cai: await openAccount(app, cai.token, { currencyCode: 'HOUR' }),
    };
    await pay(app, ana.token, accounts.ana, accounts.ben, '1.50');
    await pay(app, ben.token, accounts.ben, accounts.cai, '0.75');
    await pay(app, cai.token, accounts.cai, accounts.ana, '2.00');
    return { community, accounts, users: { ana, ben, cai } };
  }

  async function verifyLedger(community: TestCommunity, checkpoint?: string): Promise<Check> {
    return expectData(
      await gql<{ verifyLedger: Check }>(
        app,
        VERIFY,
        { code: 'HOUR', checkpoint },
        community.steward.token,
      ),
    ).verifyLedger;
  }

  /** Runs statements with the triggers off, as someone who owns the database could. */
  async function behindTheGuards(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    await owner.transaction(async (manager) => {
      await manager.query('SET LOCAL session_replication_role = replica');
      await work(manager);
    });
  }

  async function firstTransfer(communityId: string): Promise<string> {
    const [row] = await database.query<Array<{ id: string }>>(
      `SELECT id FROM transfers WHERE community_id = $1 AND kind = 'EXCHANGE' ORDER BY created_at LIMIT 1`,
      [communityId],
    );
    return row.id;
  }

  it.each([
    ['amount', `UPDATE transfers SET amount_minor = 50 WHERE community_id = $1 AND id = $2`],
    [
      'receiver',
      `UPDATE transfers t SET to_account_id = (SELECT a.id FROM accounts a
          WHERE a.community_id = t.community_id AND a.kind = 'MEMBER'
            AND a.id NOT IN (t.from_account_id, t.to_account_id) LIMIT 1)
        WHERE community_id = $1 AND id = $2`,
    ],
    ['memo', `UPDATE transfers SET memo = 'for the fund' WHERE community_id = $1 AND id = $2`],
    [
      'initiator',
      `UPDATE transfers t SET initiated_by = (SELECT id FROM users u WHERE u.community_id = t.community_id AND u.role = 'STEWARD' LIMIT 1) WHERE community_id = $1 AND id = $2`,
    ],
  ])('catches a transfer whose %s was changed under its entries', async (_what, sql) => {
    const { community } = await books();
    expect(await verifyLedger(community)).toMatchObject({ ok: true, problems: [] });
    const transferId = await firstTransfer(community.id);
    await behindTheGuards(async (manager) => {
      await manager.query(sql, [community.id, transferId]);
    });
    const check = await verifyLedger(community);
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/hash mismatch/);
  });

  it('signs a checkpoint of every chain head that anyone can check with the public key', async () => {
    const { community, accounts } = await books();
    const checkpoint = expectData(
      await gql<{
        ledgerCheckpoint: {
          accountCount: number;
          merkleRoot: string;
          publicKey: string;
          signature: string;
          document: string;
          heads: Array<{ accountId: string; entryCount: number; hash: string }>;
        };
      }>(app, CHECKPOINT, { code: 'HOUR' }, community.steward.token),
    ).ledgerCheckpoint;
    // Three members and the ISSUANCE account.
    expect(checkpoint.accountCount).toBe(4);
    expect(checkpoint.heads.map((head) => head.accountId)).toEqual(
      expect.arrayContaining(Object.values(accounts)),
    );
    expect(merkleRoot(checkpoint.heads)).toBe(checkpoint.merkleRoot);
    const kept = JSON.parse(checkpoint.document) as {
      checkpoint: unknown;
      signature: string;
      publicKey: string;
    };
    expect(kept.signature).toBe(checkpoint.signature);
    // The signed text is the canonical JSON of the checkpoint (sorted keys).
    const { canonicalJson } = await import('../../src/ledger');
    expect(
      verify(
        null,
        Buffer.from(canonicalJson(kept.checkpoint), 'utf8'),
        createPublicKey(checkpoint.publicKey),
        Buffer.from(checkpoint.signature, 'base64'),
      ),
    ).toBe(true);
    const listed = expectData(
      await gql<{ ledgerCheckpoints: Array<{ merkleRoot: string }> }>(
        app,
        'query { ledgerCheckpoints(currencyCode: "HOUR", first: 5) { merkleRoot } }',
        {},
        community.steward.token,
      ),
    ).ledgerCheckpoints;
    expect(listed[0].merkleRoot).toBe(checkpoint.merkleRoot);
    // Posting more leaves the checkpoint true: its prefix is unchanged.
    await expect(verifyLedger(community, checkpoint.document)).resolves.toEqual({
      ok: true,
      problems: [],
      checkpointAccountsCompared: 4,
    });
  });

  it('catches two histories rewritten with their chains computed again, naming both accounts', async () => {
    const { community, accounts } = await books();
    const kept = expectData(
      await gql<{ ledgerCheckpoint: { document: string } }>(
        app,
        CHECKPOINT,
        { code: 'HOUR' },
        community.steward.token,
      ),
    ).ledgerCheckpoint.document;
    await pay(app, community.steward.token, accounts.ana, accounts.cai, '0.25');

    // The forgery: Ana's first payment to Ben becomes 3.50 instead of 1.50, with
    // every later balance, total and hash of both accounts computed again.
    const transferId = await firstTransfer(community.id);
    await behindTheGuards(async (manager) => {
      await manager.query(
        `UPDATE transfers SET amount_minor = 350,
                legs = jsonb_build_array(
                  jsonb_build_object('accountId', from_account_id::text, 'amountMinor', '-350'),
                  jsonb_build_object('accountId', to_account_id::text, 'amountMinor', '350'))
          WHERE community_id = $1 AND id = $2`,
        [community.id, transferId],
      );
      await manager.query(
        `UPDATE entries SET amount_minor = CASE WHEN amount_minor < 0 THEN -350 ELSE 350 END
          WHERE community_id = $1 AND transfer_id = $2`,
        [community.id, transferId],
      );
      for (const accountId of [accounts.ana, accounts.ben]) {
        await rechain(manager, community.id, accountId);
      }
      // What Ben received in trade, which earned credit reads, grows with the forgery too.
      await manager.query(
        `UPDATE accounts SET received_minor = received_minor + 200 WHERE community_id = $1 AND id = $2`,
        [community.id, accounts.ben],
      );
    });
    // The chains alone cannot tell: the rewrite followed the documented algorithm.
    expect(await verifyLedger(community)).toMatchObject({ ok: true, problems: [] });
    // The checkpoint kept before can.
    const check = await verifyLedger(community, kept);
    expect(check.ok).toBe(false);
    expect(check.checkpointAccountsCompared).toBe(4);
    const rewritten = check.problems.filter((problem) => /was rewritten/.test(problem));
    expect(rewritten).toHaveLength(2);
    expect(rewritten.join('\n')).toContain(accounts.ana);
    expect(rewritten.join('\n')).toContain(accounts.ben);
    expect(rewritten.join('\n')).not.toContain(accounts.cai);
  });

  it('refuses a checkpoint that was edited, or signed by another key', async () => {
    const { community } = await books();
    const document = expectData(
      await gql<{ ledgerCheckpoint: { document: string } }>(
        app,
        CHECKPOINT,
        { code: 'HOUR' },
        community.steward.token,
      ),
    ).ledgerCheckpoint.document;
    const kept = JSON.parse(document) as {
      checkpoint: { takenAt: string; heads: Array<{ hash: string }> };
      signature: string;
      publicKey: string;
    };
    const edited = structuredClone(kept);
    edited.checkpoint.takenAt = '2020-01-01T00:00:00.000Z';
    const check = await verifyLedger(community, JSON.stringify(edited));
    expect(check.ok).toBe(false);
    expect(check.problems[0]).toMatch(/signature does not match/);

    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { canonicalJson } = await import('../../src/ledger');
    const other = generateKeyPairSync('ed25519');
    const foreign = {
      ...kept,
      signature: sign(null, Buffer.from(canonicalJson(kept.checkpoint)), other.privateKey).toString(
        'base64',
      ),
      publicKey: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const checkForeign = await verifyLedger(community, JSON.stringify(foreign));
    expect(checkForeign.ok).toBe(false);
    expect(checkForeign.problems[0]).toMatch(/not this server’s signing key/);

    const garbage = await gql(
      app,
      VERIFY,
      { code: 'HOUR', checkpoint: 'not json' },
      community.steward.token,
    );
    expect(garbage.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  /**
   * Computes an account's chain again from its entries' amounts, with the
   * documented algorithm (src/ledger/hash-chain.ts), and sets its head.
   */
  async function rechain(manager: EntityManager, communityId: string, accountId: string) {
    const rows = await manager.query<
      Array<{
        sequence: string;
        transfer_id: string;
        amount_minor: string;
        posted_at: Date;
        hash_version: number;
        transfer: Record<string, unknown>;
      }>
    >(
      `SELECT e.sequence, e.transfer_id, e.amount_minor, e.posted_at, e.hash_version, to_jsonb(t) AS transfer
         FROM entries e JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
        WHERE e.community_id = $1 AND e.account_id = $2 ORDER BY e.sequence`,
      [communityId, accountId],
    );
    let previous = GENESIS_HASH;
    let balance = 0n;
    let totalIn = 0n;
    let totalOut = 0n;
    for (const row of rows) {
      const amount = BigInt(row.amount_minor);
      balance += amount;
      if (amount > 0n) totalIn += amount;
      else totalOut -= amount;
      const t = row.transfer as Record<string, string | null | boolean | number>;
      const record: TransferRecord = {
        communityId,
        id: String(t.id),
        currencyCode: String(t.currency_code),
        kind: String(t.kind),
        amountMinor: BigInt(String(t.amount_minor)),
        fromAccountId: String(t.from_account_id),
        toAccountId: String(t.to_account_id),
        legs: (t.legs as unknown as Array<{ accountId: string; amountMinor: string }>).map(
          (leg) => ({ accountId: leg.accountId, amountMinor: BigInt(leg.amountMinor) }),
        ),
        memo: t.memo as string | null,
        initiatedBy: String(t.initiated_by),
        idempotencyKey: String(t.idempotency_key),
        requestFingerprint: String(t.request_fingerprint),
        reversalOf: t.reversal_of as string | null,
        forced: Boolean(t.forced),
        createdAt: new Date(String(t.created_at)),
        expiresAt: t.expires_at === null ? null : new Date(String(t.expires_at)),
        policyVersion: t.policy_version as number | null,
      };
      const hash = entryHash(previous, {
        communityId,
        accountId,
        sequence: Number(row.sequence),
        transferId: row.transfer_id,
        amountMinor: amount,
        balanceAfterMinor: balance,
        postedAt: row.posted_at,
        hashVersion: 2,
        transferDigest: transferDigest(record),
      });
      await manager.query(
        `UPDATE entries SET balance_after_minor = $4, total_in_minor = $5, total_out_minor = $6, hash = $7
          WHERE community_id = $1 AND account_id = $2 AND sequence = $3`,
        [communityId, accountId, row.sequence, balance, totalIn, totalOut, hash],
      );
      previous = hash;
    }
    await manager.query(
      `UPDATE accounts SET balance_minor = $3, total_in_minor = $4, total_out_minor = $5, last_hash = $6
        WHERE community_id = $1 AND id = $2`,
      [communityId, accountId, balance, totalIn, totalOut, previous],
    );
  }
});
