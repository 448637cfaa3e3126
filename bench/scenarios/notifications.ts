import { randomUUID } from 'node:crypto';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { formatApiKey, randomSecret, sha256Hex } from '../../src/access/tokens';
import { cloneRows, seededUuidSql, withClient } from '../lib/database';
import { GraphQLClient } from '../lib/graphql';
import { readMemory } from '../lib/proc';
import { progress, sleep } from '../lib/progress';
import { MutuaServer } from '../lib/server';
import { percentileOfSorted } from '../lib/stats';
import { Community, COMMUNITY_SLUG, CURRENCY_CODE, OPEN_ACCOUNT } from './community';

/**
 * Live payment notifications, as shops meet them:
 *
 * - many tills: 1,000 tills (ten per shop) connected to the one server: the
 *   resident memory they add, and whether every till receives every payment
 *   of its shop (events lost, events received twice);
 * - latency: 100 tills (one per shop, each subscribed to paymentReceived of
 *   its shop's account over graphql-ws) while payers pay the shops'
 *   standing QR codes (payPaymentRequest) at a steady 200 payments/s, open
 *   loop; for each payment, the time from the payer's answer (the HTTP
 *   response) to the till's event.
 */
export const LATENCY_TILLS = 100;
export const TILLS_PER_SHOP_MANY = 10;
export const PAYMENTS_PER_SECOND = 200;
/** Payments in flight at most: past that the load generator waits rather than pile up. */
const MAX_IN_FLIGHT = 256;
const SEED_SHOP = 4;

export interface NotificationOutcome {
  latency?: {
    tills: number;
    paymentsPerSecond: number;
    seconds: number;
    payments: number;
    failedPayments: number;
    achievedPerSecond: number;
    eventsLost: number;
    /** Milliseconds from the payer's answer to the till's event (0 when the event came first). */
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    /** Share of events that reached the till before the payer had its answer. */
    beforeAnswerShare: number;
    /** From sending the payment to the till's event. */
    fromRequestP50Ms: number;
    fromRequestP99Ms: number;
  };
  many?: {
    tills: number;
    rssBeforeBytes: number;
    rssAfterBytes: number;
    payments: number;
    failedPayments: number;
    eventsExpected: number;
    eventsReceived: number;
    eventsLost: number;
    duplicates: number;
    connectSeconds: number;
  };
  notMeasured?: string;
}

interface Shop {
  accountId: string;
  requestId: string;
  keys: string[];
}

const PAY = `mutation Pay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { id } }`;
const CREATE_REQUEST = `mutation Ask($input: CreatePaymentRequestInput!) {
  createPaymentRequest(input: $input) { id }
}`;
const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }`;
const SUBSCRIBE = `subscription Till($id: ID!) { paymentReceived(accountId: $id) { transferId amount payerName cursor } }`;

/** `count` shops, each with a SHOP account, `keysPerShop` till keys and a reusable request, seeded in SQL. */
async function seedShops(
  server: MutuaServer,
  community: Community,
  databaseUrl: string,
  count: number,
  keysPerShop: number,
): Promise<Shop[]> {
  const anonymous = new GraphQLClient(server.port);
  const steward = anonymous.withToken(community.stewardToken);
  const template = await anonymous.execute<{ register: { user: { id: string } } }>(REGISTER, {
    input: {
      communitySlug: COMMUNITY_SLUG,
      email: 'till-shop@bench.mutua.example',
      password: randomSecret(),
      displayName: 'Till shop',
      role: 'SHOP',
    },
  });
  const templateUser = template.register.user.id;
  const templateAccount = (
    await steward.execute<{ openAccount: { id: string } }>(OPEN_ACCOUNT, {
      input: {
        currencyCode: CURRENCY_CODE,
        kind: 'SHOP',
        ownerId: templateUser,
        name: 'till shop',
      },
    })
  ).openAccount.id;
  const shops = await withClient(databaseUrl, async (client) => {
    await cloneRows(client, {
      table: 'users',
      template: 't.community_id = $1 AND t.id = $2',
      templateParams: [community.communityId, templateUser],
      overrides: {
        id: seededUuidSql(SEED_SHOP, 'i'),
        email: `'till-shop-' || i || '@bench.mutua.example'`,
        display_name: `'Shop ' || i`,
      },
      count,
    });
    await cloneRows(client, {
      table: 'accounts',
      template: 't.community_id = $1 AND t.id = $2',
      templateParams: [community.communityId, templateAccount],
      overrides: {
        id: seededUuidSql(SEED_SHOP + 1, 'i'),
        owner_id: seededUuidSql(SEED_SHOP, 'i'),
        name: `'shop ' || i`,
      },
      count,
    });
    const rows = await client.query<{ id: string; owner_id: string }>(
      `SELECT id, owner_id FROM accounts WHERE community_id = $1 AND owner_id IN (
         SELECT id FROM users WHERE community_id = $1 AND email LIKE 'till-shop-%') ORDER BY id`,
      [community.communityId],
    );
    const seeded: Array<{ accountId: string; keys: string[] }> = [];
    for (const row of rows.rows) {
      const keys: string[] = [];
      for (let index = 0; index < keysPerShop; index += 1) {
        const id = randomUUID();
        const secret = randomSecret();
        await client.query(
          `INSERT INTO api_keys (community_id, id, user_id, name, secret_hash, scopes)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            community.communityId,
            id,
            row.owner_id,
            `till ${index}`,
            sha256Hex(secret),
            ['READ_PAYMENTS', 'CREATE_PAYMENT_REQUESTS'],
          ],
        );
        keys.push(formatApiKey(community.communityId, id, secret));
      }
      seeded.push({ accountId: row.id, keys });
    }
    return seeded;
  });
  const result: Shop[] = [];
  for (const shop of shops) {
    const till = anonymous.withToken(shop.keys[0]);
    const request = await till.execute<{ createPaymentRequest: { id: string } }>(CREATE_REQUEST, {
      input: { toAccountId: shop.accountId, reusable: true, memo: 'Counter' },
    });
    till.close();
    result.push({ ...shop, requestId: request.createPaymentRequest.id });
  }
  anonymous.close();
  steward.close();
  return result;
}

interface Till {
  client: Client;
  /** transferId → when the event arrived (performance.now()). */
  events: Map<string, number>;
  duplicates: number;
  ready: Promise<void>;
}

function connectTill(port: number, key: string, accountId: string): Till {
  const events = new Map<string, number>();
  const till: Till = {
    client: createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      lazy: false,
    }),
    events,
    duplicates: 0,
    ready: Promise.resolve(),
  };
  till.ready = new Promise((resolve, reject) => {
    till.client.on('connected', () => resolve());
    till.client.on('closed', (event) => reject(new Error(`till closed: ${JSON.stringify(event)}`)));
  });
  till.client.subscribe<{ paymentReceived: { transferId: string } }>(
    { query: SUBSCRIBE, variables: { id: accountId } },
    {
      next: (result) => {
        const id = result.data?.paymentReceived.transferId;
        if (id === undefined) return;
        if (events.has(id)) till.duplicates += 1;
        else events.set(id, performance.now());
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return till;
}

interface Paid {
  shop: number;
  transferId?: string;
  sentAt: number;
  answeredAt: number;
}

/** Pays the shops' requests at a steady rate (open loop), round robin over the shops. */
async function payAtRate(
  client: GraphQLClient,
  community: Community,
  shops: Shop[],
  perSecond: number,
  total: number,
): Promise<Paid[]> {
  const paid: Paid[] = [];
  const pending: Array<Promise<void>> = [];
  let inFlight = 0;
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= MAX_IN_FLIGHT) await sleep(1);
    const shop = index % shops.length;
    const payer = community.memberAccountIds[index % community.memberAccountIds.length];
    const sentAt = performance.now();
    inFlight += 1;
    pending.push(
      client
        .executeRaw<{ payPaymentRequest: { id: string } }>(PAY, {
          input: {
            paymentRequestId: shops[shop].requestId,
            fromAccountId: payer,
            amount: '0.01',
            idempotencyKey: randomUUID(),
          },
        })
        .then(
          (response) => {
            paid.push({
              shop,
              transferId: response.data?.payPaymentRequest.id,
              sentAt,
              answeredAt: performance.now(),
            });
          },
          () => {
            paid.push({ shop, sentAt, answeredAt: performance.now() });
          },
        )
        .finally(() => {
          inFlight -= 1;
        }),
    );
  }
  await Promise.all(pending);
  return paid;
}

export async function runNotifications(options: {
  server: MutuaServer;
  community: Community;
  databaseUrl: string;
  seconds: number;
}): Promise<NotificationOutcome> {
  const { server, community } = options;
  const outcome: NotificationOutcome = {};
  progress(
    `seeding ${LATENCY_TILLS} shops with ${TILLS_PER_SHOP_MANY} till keys and a standing QR code each`,
  );
  const shops = await seedShops(
    server,
    community,
    options.databaseUrl,
    LATENCY_TILLS,
    TILLS_PER_SHOP_MANY,
  );
  const payer = new GraphQLClient(server.port, community.stewardToken, MAX_IN_FLIGHT);

  // Many tills first, while the server is at rest after seeding: ten per shop.
  const rssBefore = await medianRss(server.pid);
  let tills: Till[] = [];
  progress(`notifications: connecting ${LATENCY_TILLS * TILLS_PER_SHOP_MANY} tills`);
  const connectStarted = performance.now();
  for (const shop of shops) {
    const group = shop.keys.map((key) => connectTill(server.port, key, shop.accountId));
    await Promise.all(group.map((till) => till.ready));
    tills.push(...group);
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const rssAfter = await medianRss(server.pid);
  const manyPayments = shops.length * 10;
  const manyPaid = await payAtRate(payer, community, shops, PAYMENTS_PER_SECOND, manyPayments);
  await sleep(3000);
  let expected = 0;
  let received = 0;
  let duplicates = 0;
  for (const [index, till] of tills.entries()) {
    const shop = Math.floor(index / TILLS_PER_SHOP_MANY);
    const mine = manyPaid.filter((payment) => payment.shop === shop && payment.transferId);
    expected += mine.length;
    received += mine.filter((payment) => till.events.has(payment.transferId!)).length;
    duplicates += till.duplicates;
  }
  const manySucceeded = manyPaid.filter((payment) => payment.transferId !== undefined).length;
  outcome.many = {
    tills: tills.length,
    rssBeforeBytes: rssBefore,
    rssAfterBytes: rssAfter,
    payments: manySucceeded,
    failedPayments: manyPaid.length - manySucceeded,
    eventsExpected: expected,
    eventsReceived: received,
    eventsLost: expected - received,
    duplicates,
    connectSeconds,
  };
  await Promise.all(tills.map((till) => Promise.resolve(till.client.dispose())));
  // Latency: one till per shop.
  progress(`notifications: ${LATENCY_TILLS} tills, ${PAYMENTS_PER_SECOND} payments/s`);
  tills = shops.map((shop) => connectTill(server.port, shop.keys[0], shop.accountId));
  await Promise.all(tills.map((till) => till.ready));
  await sleep(1000);
  await payAtRate(payer, community, shops, PAYMENTS_PER_SECOND, PAYMENTS_PER_SECOND * 2);
  await sleep(1000);
  for (const till of tills) till.events.clear();
  const total = PAYMENTS_PER_SECOND * options.seconds;
  const started = performance.now();
  const paid = await payAtRate(payer, community, shops, PAYMENTS_PER_SECOND, total);
  const elapsed = (performance.now() - started) / 1000;
  await sleep(2000);
  const fromAnswer: number[] = [];
  const fromRequest: number[] = [];
  let lost = 0;
  let early = 0;
  for (const payment of paid) {
    if (payment.transferId === undefined) continue;
    const at = tills[payment.shop].events.get(payment.transferId);
    if (at === undefined) {
      lost += 1;
      continue;
    }
    if (at < payment.answeredAt) early += 1;
    fromAnswer.push(Math.max(0, at - payment.answeredAt));
    fromRequest.push(at - payment.sentAt);
  }
  fromAnswer.sort((a, b) => a - b);
  fromRequest.sort((a, b) => a - b);
  const succeeded = paid.filter((payment) => payment.transferId !== undefined).length;
  outcome.latency = {
    tills: LATENCY_TILLS,
    paymentsPerSecond: PAYMENTS_PER_SECOND,
    seconds: options.seconds,
    payments: succeeded,
    failedPayments: paid.length - succeeded,
    achievedPerSecond: paid.length / elapsed,
    eventsLost: lost,
    p50Ms: percentileOfSorted(fromAnswer, 50),
    p99Ms: percentileOfSorted(fromAnswer, 99),
    maxMs: fromAnswer.at(-1) ?? Number.NaN,
    beforeAnswerShare: succeeded === 0 ? 0 : early / succeeded,
    fromRequestP50Ms: percentileOfSorted(fromRequest, 50),
    fromRequestP99Ms: percentileOfSorted(fromRequest, 99),
  };
  await Promise.all(tills.map((till) => Promise.resolve(till.client.dispose())));
  await sleep(2000);

  payer.close();
  return outcome;
}

/**
 * The server's resident memory, as the median of samples over a few
 * seconds after a pause: a single sample moves by tens of megabytes with
 * each garbage collection of a server that has just been under load.
 */
async function medianRss(pid: number): Promise<number> {
  await sleep(3000);
  const samples: number[] = [];
  for (let sample = 0; sample < 15; sample += 1) {
    samples.push(readMemory(pid).rssBytes);
    await sleep(200);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function ms(value: number): string {
  return value.toFixed(1);
}

/** The RESULTS.md section. */
export function renderNotifications(outcome: NotificationOutcome | undefined): string[] {
  if (outcome === undefined) return [];
  const lines = ['## Live payment notifications', ''];
  if (outcome.notMeasured !== undefined) {
    lines.push(`Not measured: ${outcome.notMeasured}.`, '');
    return lines;
  }
  lines.push(
    `Tills are graphql-ws clients subscribed to \`paymentReceived\` of their shop's account, in the benchmark process; payers pay the shops' standing QR codes with \`payPaymentRequest\` (0.01 HOUR, as the steward from random members' accounts) at a steady rate, open loop (at most ${MAX_IN_FLIGHT} in flight). Events travel from the posting transaction's commit through PostgreSQL NOTIFY to the server's listening connection and on to the till.`,
    '',
  );
  const latency = outcome.latency;
  if (latency !== undefined) {
    const met = latency.p99Ms <= 100 ? 'met' : '**missed**';
    lines.push(
      '| latency run | |',
      '| --- | --- |',
      `| tills connected | ${latency.tills} (one per shop) |`,
      `| payments | ${latency.payments} in ${latency.seconds} s at ${latency.paymentsPerSecond}/s asked, ${latency.achievedPerSecond.toFixed(0)}/s sent; ${latency.failedPayments} failed |`,
      `| from the payer's answer to the till's event, p50 / p99 / max (ms) | ${ms(latency.p50Ms)} / **${ms(latency.p99Ms)}** / ${ms(latency.maxMs)} (target p99 ≤ 100 ms: ${met}) |`,
      `| events that reached the till before the payer's answer (counted as 0 ms) | ${(latency.beforeAnswerShare * 100).toFixed(1)} % |`,
      `| from sending the payment to the till's event, p50 / p99 (ms) | ${ms(latency.fromRequestP50Ms)} / ${ms(latency.fromRequestP99Ms)} |`,
      `| events lost | ${latency.eventsLost} |`,
      '',
    );
  }
  const many = outcome.many;
  if (many !== undefined) {
    const added = (many.rssAfterBytes - many.rssBeforeBytes) / 1024 ** 2;
    lines.push(
      '| many tills | |',
      '| --- | --- |',
      `| tills connected to one server | ${many.tills} (${TILLS_PER_SHOP_MANY} per shop, each its own key and connection), connected in ${many.connectSeconds.toFixed(1)} s |`,
      `| server RSS before / after connecting (medians of 15 samples over 3 s; garbage collection moves it by tens of MB either way) | ${(many.rssBeforeBytes / 1024 ** 2).toFixed(0)} MB / ${(many.rssAfterBytes / 1024 ** 2).toFixed(0)} MB: **${added.toFixed(1)} MB added**, ${((added * 1024) / many.tills).toFixed(1)} kB per till |`,
      `| payments while connected | ${many.payments} (${many.failedPayments} failed), each for all ${TILLS_PER_SHOP_MANY} tills of its shop |`,
      `| events expected / received / **lost** / received twice | ${many.eventsExpected} / ${many.eventsReceived} / **${many.eventsLost}** / ${many.duplicates} |`,
      '',
    );
  }
  return lines;
}
