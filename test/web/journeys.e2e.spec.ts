import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
} from '../support/factories';
import { addSteward, openFund } from '../funds/fund-helpers';
import { gql } from '../support/test-app';
import {
  newPhone,
  pageErrors,
  screenshot,
  seriousAccessibilityViolations,
  startWebWorld,
  WebWorld,
} from './browser';

/**
 * The web app's journeys, in headless Chromium against the real server on
 * the test PostgreSQL: a member joins and pays another, a till is paid
 * through its QR code and turns to paid by itself, two stewards approve a
 * disbursement with k = 2, a steward downloads an export, and a fund's
 * public page shows no personal data. Every page visited is checked with
 * axe-core: no violation of serious or critical impact.
 */
jest.setTimeout(240_000);

let world: WebWorld;
const checked = new Map<string, string[]>();

/** Checks the page with axe and remembers the result under the view's name. */
async function checkAccessibility(page: Page, view: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  checked.set(
    view,
    violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  );
  expect({ view, violations: checked.get(view) }).toEqual({ view, violations: [] });
}

async function fill(page: Page, label: string | RegExp, value: string): Promise<void> {
  await page.getByLabel(label, { exact: typeof label === 'string' }).fill(value);
}

interface Signed {
  slug: string;
  token: string;
  userId: string;
  displayName: string;
  role: string;
}

async function session(community: TestCommunity, email: string, password: string): Promise<Signed> {
  const response = await gql<{
    login: { token: string; user: { id: string; displayName: string; role: string } };
  }>(
    world.app,
    'mutation($input: LoginInput!) { login(input: $input) { token user { id displayName role } } }',
    { input: { communitySlug: community.slug, email, password } },
  );
  const { token, user } = expectData(response).login;
  return {
    slug: community.slug,
    token,
    userId: user.id,
    displayName: user.displayName,
    role: user.role,
  };
}

beforeAll(async () => {
  world = await startWebWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('a member', () => {
  it('signs up, opens an account, pays another member once however often they click, and both see their statements', async () => {
    const community = await createCommunity(world.app);
    await createCurrency(world.app, community, { defaultFloor: '-10.00' });

    const join = async (name: string) => {
      const phone = await newPhone(world);
      const { page } = phone;
      await page.goto(`/c/${community.slug}`);
      await checkAccessibility(page, 'community door');
      await page.getByRole('link', { name: /^Join/ }).first().click();
      await page.getByRole('heading', { name: 'Join' }).waitFor();
      await checkAccessibility(page, 'sign-up');
      await fill(page, 'Your name, as others will see it', name);
      await fill(page, 'E-mail', `${name.split(' ')[0].toLowerCase()}@${community.slug}.test`);
      await fill(page, 'Password', `${name.split(' ')[0].toLowerCase()}-password-1`);
      await page.getByRole('button', { name: 'Join', exact: true }).click();
      await page.getByRole('heading', { name: 'Your accounts' }).waitFor();
      await page.getByRole('button', { name: /Open a HOUR currency account/ }).click();
      await page.getByText('Your HOUR currency account is open.').waitFor();
      await page.getByRole('link', { name: 'Statement' }).waitFor();
      return phone;
    };
    const ana = await join('Ana Example');
    const ben = await join('Ben Example');
    await checkAccessibility(ana.page, 'member accounts');

    // Ana pays Ben 1.50 for a bike repair, clicking the button twice.
    await ana.page.getByRole('link', { name: 'Pay', exact: true }).click();
    await ana.page.getByRole('heading', { name: 'Pay' }).waitFor();
    await ana.page.getByLabel('To').fill('ben');
    await ana.page.getByRole('button', { name: /Ben Example/ }).click();
    await fill(ana.page, 'Amount (HOUR)', '1.50');
    await fill(ana.page, 'What for (optional)', 'Bike repair');
    await checkAccessibility(ana.page, 'pay');
    await ana.page.getByRole('button', { name: 'Pay Ben Example' }).dblclick();
    await ana.page.getByText('Paid 1.50 HOUR to Ben Example.').waitFor();

    // A payment past the floor is refused with what is still available.
    await ana.page.getByLabel('To').fill('ben');
    await ana.page.getByRole('button', { name: /Ben Example/ }).click();
    await fill(ana.page, 'Amount (HOUR)', '20.00');
    await ana.page.getByRole('button', { name: 'Pay Ben Example' }).click();
    const refusal = ana.page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('8.50');

    await ana.page.goto(`/c/${community.slug}/home`);
    await ana.page.getByRole('link', { name: 'Statement' }).click();
    await ana.page.getByRole('heading', { name: /Statement/ }).waitFor();
    const anaRows = ana.page.locator('tbody tr');
    await anaRows.first().waitFor();
    expect(await anaRows.count()).toBe(1);
    expect(await anaRows.first().textContent()).toMatch(
      /Ben Example.*Bike repair.*−1\.50.*−1\.50 HOUR/,
    );
    await ana.page.getByText('1 entry in the period').waitFor();
    await checkAccessibility(ana.page, 'statement');
    await screenshot(ana.page, 'member-statement');

    await ben.page.goto(`/c/${community.slug}/home`);
    await ben.page.getByText('1.50 HOUR').first().waitFor();
    await checkAccessibility(ben.page, 'member accounts (paid)');
    await screenshot(ben.page, 'member');
    await ben.page.getByRole('link', { name: 'Statement' }).click();
    const benRows = ben.page.locator('tbody tr');
    await benRows.first().waitFor();
    expect(await benRows.count()).toBe(1);
    expect(await benRows.first().textContent()).toMatch(
      /Ana Example.*Bike repair.*\+1\.50.*1\.50 HOUR/,
    );

    // The statement downloads as CSV.
    const [download] = await Promise.all([
      ben.page.waitForEvent('download'),
      ben.page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'posted_at,counterparty,kind,memo,amount,balance_after,currency',
    );
    expect(csv).toContain(',Ana Example,EXCHANGE,Bike repair,1.50,1.50,HOUR');

    for (const phone of [ana, ben]) {
      expect(pageErrors(phone.page)).toEqual([]);
      await phone.context.close();
    }
  });
});

/** A signed-in browser session for a user made through the API. */
async function sessionOf(community: TestCommunity, user: TestUser): Promise<Signed> {
  return session(community, user.email, user.password);
}

describe('a shop till', () => {
  it("shows a QR code that a member scans and pays, and turns to paid by itself with the payer's name", async () => {
    const community = await createCommunity(world.app);
    await createCurrency(world.app, community, { defaultFloor: '-10.00' });
    const shop = await registerUser(world.app, community, 'SHOP', 'corner-shop');
    await openAccount(world.app, shop.token, { currencyCode: 'HOUR' });
    const member = await registerUser(world.app, community, 'MEMBER', 'rosa-member');
    await openAccount(world.app, member.token, { currencyCode: 'HOUR' });

    const till = await newPhone(world, await sessionOf(community, shop));
    await till.page.goto(`/c/${community.slug}/till`);
    await till.page.getByRole('heading', { name: 'Till' }).waitFor();
    await checkAccessibility(till.page, 'till');
    await till.page.getByLabel('Amount to charge (HOUR)').fill('2.50');
    await till.page.getByLabel('What for (optional)').fill('Bread');
    await till.page.getByRole('button', { name: 'Show QR code' }).click();
    const qr = till.page.getByRole('img', { name: /QR code to pay 2.50 HOUR/ });
    await qr.waitFor();
    await till.page.getByRole('heading', { name: 'Waiting for payment' }).waitFor();
    await checkAccessibility(till.page, 'till showing a QR code');
    await screenshot(till.page, 'till');
    // A mark on the page that a reload would wipe: the till must turn to paid without one.
    await till.page.evaluate('window.tillNotReloaded = true');

    // The member photographs the code; the app reads it and opens the request.
    const photo = join(mkdtempSync(join(tmpdir(), 'mutua-qr-')), 'qr.png');
    writeFileSync(photo, await qr.screenshot());
    const payer = await newPhone(world, await sessionOf(community, member));
    await payer.page.goto(`/c/${community.slug}/scan`);
    await payer.page.getByRole('heading', { name: 'Scan a payment code' }).waitFor();
    await checkAccessibility(payer.page, 'scan');
    await payer.page.getByLabel('Or choose a photo of the code').setInputFiles(photo);
    await payer.page.getByRole('heading', { name: 'Pay corner-shop' }).waitFor();
    await checkAccessibility(payer.page, 'pay a payment request');
    expect(await payer.page.locator('.figures').textContent()).toContain('2.50 HOUR');
    await payer.page.getByRole('button', { name: 'Pay corner-shop' }).click();
    await payer.page.getByText('Paid 2.50 HOUR to corner-shop.').waitFor();

    await till.page.getByTestId('paid-by').waitFor({ timeout: 15_000 });
    expect(await till.page.getByTestId('paid-by').textContent()).toBe('Paid by rosa-member');
    await till.page.getByRole('heading', { name: 'Paid' }).waitFor();
    expect(await till.page.evaluate('window.tillNotReloaded')).toBe(true);
    await till.page.getByText(/2\.50 HOUR from rosa-member/).waitFor();
    await checkAccessibility(till.page, 'till paid');
    await screenshot(till.page, 'till-paid');

    for (const phone of [till, payer]) {
      expect(pageErrors(phone.page)).toEqual([]);
      await phone.context.close();
    }
  });
});

describe('stewards', () => {
  it('approve a disbursement with k = 2 from two browsers, download the books, and publish a fund page without personal data', async () => {
    const community = await createCommunity(world.app);
    await createCurrency(world.app, community, { defaultFloor: '-50.00' });
    const second = await addSteward(world.app, community);
    const fundId = expectData(
      await openFund(world.app, community.steward.token, {
        currencyCode: 'HOUR',
        stewardIds: [community.steward.id, second.id],
        approvalsRequired: 2,
      }),
    ).openAccount.id;
    const donor = await registerUser(world.app, community, 'MEMBER', 'dora-donor');
    const donorAccount = await openAccount(world.app, donor.token, { currencyCode: 'HOUR' });
    expectData(
      await gql(
        world.app,
        'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
        {
          input: {
            fromAccountId: donorAccount,
            toAccountId: fundId,
            amount: '40.00',
            kind: 'CONTRIBUTION',
            idempotencyKey: 'dora-gives-1',
          },
        },
        donor.token,
      ),
    );
    const requester = await registerUser(world.app, community, 'MEMBER', 'remy-requester');
    const requesterAccount = await openAccount(world.app, requester.token, {
      currencyCode: 'HOUR',
    });

    // The member asks the fund for help in the app and follows the request.
    const member = await newPhone(world, await sessionOf(community, requester));
    await member.page.goto(`/c/${community.slug}/funds`);
    await member.page.getByRole('heading', { name: 'Ask a fund for help' }).waitFor();
    await member.page.getByLabel('From the fund').fill('mutual');
    await member.page.getByRole('button', { name: /Mutual aid/ }).click();
    await member.page.getByLabel('Amount (HOUR)').fill('5.00');
    await member.page.getByLabel(/What it is for/).fill('Help after surgery');
    await member.page.getByRole('button', { name: 'Ask for help' }).click();
    await member.page.getByText('Waiting for the stewards').waitFor();
    await member.page.getByText('0 of 2 approvals needed', { exact: false }).waitFor();
    await checkAccessibility(member.page, 'funds (member)');

    const stewardA = await newPhone(world, await sessionOf(community, community.steward));
    const stewardB = await newPhone(world, await sessionOf(community, second));
    for (const steward of [stewardA, stewardB]) {
      await steward.page.goto(`/c/${community.slug}/steward`);
      await steward.page.getByRole('heading', { name: 'Steward dashboard' }).waitFor();
      await steward.page.getByTestId('approvals').waitFor();
    }
    expect(await stewardA.page.getByTestId('approvals').textContent()).toMatch(/^0 of 2 approvals/);
    await checkAccessibility(stewardA.page, 'steward dashboard');

    await stewardA.page.getByRole('button', { name: 'Approve' }).click();
    await stewardA.page.getByText('Your vote is counted.').waitFor();
    await stewardA.page.getByText(/^1 of 2 approvals/).waitFor();
    const transferStatus = async () =>
      expectData(
        await gql<{ transfers: { edges: Array<{ node: { status: string } }> } }>(
          world.app,
          'query($id: ID!) { transfers(filter: { accountId: $id, kind: DISBURSEMENT }) { edges { node { status } } } }',
          { id: requesterAccount },
          requester.token,
        ),
      ).transfers.edges.map((edge) => edge.node.status);
    expect(await transferStatus()).toEqual(['PENDING']);

    // The second steward's browser still shows the request; their approval is the k-th.
    await stewardB.page.getByRole('button', { name: 'Approve' }).click();
    await stewardB.page.getByText('Approved: the money is paid out.').waitFor();
    expect(await transferStatus()).toEqual(['POSTED']);
    // The request leaves the list; the outcome stays on the screen.
    await stewardB.page.getByText('Nothing waits.').waitFor();
    expect(await stewardB.page.getByText('Approved: the money is paid out.').isVisible()).toBe(
      true,
    );
    await member.page.reload();
    await member.page.getByText('Approved and paid').waitFor();

    // The books: zero check, proof, and the exports as files.
    await stewardA.page.reload();
    await stewardA.page.getByTestId('zero-check').waitFor();
    expect(await stewardA.page.getByTestId('zero-check').textContent()).toMatch(
      /^Balanced: the \d+ accounts sum to 0\.00 HOUR/,
    );
    await stewardA.page
      .getByRole('button', { name: 'Prove the books (verify the ledger)' })
      .click();
    await stewardA.page.getByTestId('verify-result').waitFor();
    expect(await stewardA.page.getByTestId('verify-result').textContent()).toMatch(
      /^Proven: \d+ accounts and \d+ entries check out/,
    );
    // A signed checkpoint, then the proof against it.
    await stewardA.page.getByText('No checkpoint yet.').waitFor();
    await stewardA.page.getByRole('button', { name: 'Take a signed checkpoint now' }).click();
    await stewardA.page.getByTestId('checkpoint').waitFor();
    expect(await stewardA.page.getByTestId('checkpoint').textContent()).toMatch(
      /Merkle root[0-9a-f]{64}/,
    );
    await stewardA.page.getByRole('button', { name: /^Prove the books/ }).click();
    await stewardA.page.getByText(/match the latest checkpoint/).waitFor();
    expect(await stewardA.page.getByTestId('verify-result').textContent()).toMatch(
      /^Proven: \d+ accounts and \d+ entries check out, and \d+ accounts match the latest checkpoint/,
    );
    const [csvDownload] = await Promise.all([
      stewardA.page.waitForEvent('download'),
      stewardA.page.getByRole('button', { name: 'Download CSV', exact: true }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe('HOUR.csv');
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(3);
    expect(csv).toContain('40.00');
    expect(csv).toContain('5.00');
    const [journalDownload] = await Promise.all([
      stewardA.page.waitForEvent('download'),
      stewardA.page.getByRole('button', { name: 'Download hledger journal' }).click(),
    ]);
    expect(journalDownload.suggestedFilename()).toBe('HOUR.journal');
    expect(readFileSync(await journalDownload.path(), 'utf8')).toMatch(/HOUR/);
    await stewardA.page.getByText('HOUR.journal downloaded').waitFor();

    // Publishing the fund's page, and what a visitor sees of it.
    await stewardA.page.getByRole('button', { name: 'Publish a public page' }).click();
    await stewardA.page.getByRole('link', { name: 'published' }).waitFor();
    const members = stewardA.page.getByRole('region', { name: 'Members table' });
    await members.waitFor();
    expect(await members.textContent()).toContain('remy-requester');
    expect(await stewardA.page.locator('.notice.error').count()).toBe(0);
    await checkAccessibility(stewardA.page, 'steward dashboard (after the votes)');
    await screenshot(stewardA.page, 'steward');

    const visitor = await newPhone(world);
    await visitor.page.goto(`/c/${community.slug}/public/funds/${fundId}`);
    await visitor.page.getByRole('heading', { name: 'Mutual aid' }).waitFor();
    await visitor.page.getByText('35.00 HOUR').first().waitFor();
    await checkAccessibility(visitor.page, 'public fund page');
    await screenshot(visitor.page, 'public-fund');
    const text = (await visitor.page.locator('body').textContent()) ?? '';
    expect(text).toContain('Every payment out needs 2 of its 2 stewards');
    expect(text).toMatch(/5\.00 HOUR/);
    const html = await visitor.page.content();
    for (const secret of [
      'dora-donor',
      'remy-requester',
      donor.email,
      requester.email,
      second.email,
      'First Steward',
      'Help after surgery',
      donorAccount,
      requesterAccount,
    ]) {
      expect(html).not.toContain(secret);
    }
    await visitor.page.goto(`/c/${community.slug}/public`);
    await visitor.page.getByRole('link', { name: 'Mutual aid' }).waitFor();
    await checkAccessibility(visitor.page, 'public funds list');

    for (const phone of [member, stewardA, stewardB, visitor]) {
      expect(pageErrors(phone.page)).toEqual([]);
      await phone.context.close();
    }
  });
});

describe('every other view', () => {
  it('has no accessibility violation of serious or critical impact', async () => {
    const community = await createCommunity(world.app);
    await createCurrency(world.app, community, { defaultFloor: '-10.00' });
    const member = await registerUser(world.app, community, 'MEMBER', 'sam-member');
    await openAccount(world.app, member.token, { currencyCode: 'HOUR' });
    const anonymous = await newPhone(world);
    for (const [view, path, heading] of [
      ['start page', '/', 'Mutua'],
      ['sign-in', `/c/${community.slug}/signin`, 'Sign in'],
      ['unknown community', '/c/no-such-community', 'No such community'],
      ['page not found', '/c/x/y/z/w', 'Page not found'],
    ] as const) {
      await anonymous.page.goto(path);
      await anonymous.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await checkAccessibility(anonymous.page, view);
    }
    const signed = await newPhone(world, await sessionOf(community, member));
    for (const [view, path, heading] of [
      ['settings', `/c/${community.slug}/settings`, 'Settings'],
      ['standing orders', `/c/${community.slug}/standing-orders`, 'Standing orders'],
    ] as const) {
      await signed.page.goto(path);
      await signed.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await signed.page.locator('.loading').waitFor({ state: 'detached' });
      await checkAccessibility(signed.page, view);
    }
    for (const phone of [anonymous, signed]) {
      expect(pageErrors(phone.page)).toEqual([]);
      await phone.context.close();
    }
  });
});
