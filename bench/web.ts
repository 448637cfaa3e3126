/**
 * `npm run bench:web`: the web app's two figures, written into the "Web app"
 * section of bench/RESULTS.md (the rest of the file is `npm run bench`'s).
 *
 * - Bundle size: every JavaScript file of the production build (web/dist),
 *   gzipped as a server would send it (zlib, level 9), split into what the
 *   first page loads and what loads later (the steward's charts, the QR
 *   decoder).
 * - Time to first render of the member view: the production server
 *   (`npm run build`, `node dist/src/main.js`, NODE_ENV=production) on the
 *   embedded PostgreSQL in a temp folder, a member with an account of 200
 *   entries, and Debian's Chromium (headless, a phone-sized screen, a fresh
 *   profile and an empty cache each time) opening /c/<slug>/home with the
 *   member signed in. Measured in the page: from the start of navigation to
 *   the moment the first account's balance is on screen, as
 *   `performance.now()` reads it then; also the browser's first contentful
 *   paint. Runs 10 times after one unmeasured run; minimum / median / maximum.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../scripts/chromium';

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'RESULTS.md');
export const WEB_SECTION_START = '<!-- web app: written by npm run bench:web -->';
export const WEB_SECTION_END = '<!-- end of the web app section -->';
const RUNS = 10;
const ENTRIES = 200;

interface Chunk {
  file: string;
  bytes: number;
  gzipBytes: number;
  initial: boolean;
}

function bundle(): Chunk[] {
  const dist = join(ROOT, 'web', 'dist');
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  const assets = join(dist, 'assets');
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const content = readFileSync(join(assets, file));
      return {
        file,
        bytes: content.length,
        gzipBytes: gzipSync(content, { level: 9 }).length,
        initial: index.includes(`/assets/${file}`),
      };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzipBytes - a.gzipBytes);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(
  base: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output()}`);
    try {
      if ((await fetch(`${base}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not become healthy:\n${output()}`);
}

async function graphql<T>(
  base: string,
  query: string,
  variables: object,
  token?: string,
): Promise<T> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.data === undefined || body.data === null) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    median: sorted[Math.floor(sorted.length / 2)],
    max: sorted[sorted.length - 1],
  };
};

async function main(): Promise<void> {
  const started = Date.now();
  process.stderr.write('bench:web: npm run build (server and web app)\n');
  if (process.env.BENCH_WEB_SKIP_BUILD !== '1') {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  process.stderr.write('bench:web: starting the production server on the embedded PostgreSQL\n');
  const chunks = bundle();

  const dataDir = mkdtempSync(join(tmpdir(), 'mutua-bench-web-'));
  // The embedded PostgreSQL runs as the postgres user when we are root: it must enter the folder.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const admin = { email: 'bench-admin@mutua.example', password: randomBytes(12).toString('hex') };
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const browser = await launchChromium();
  process.stderr.write(`bench:web: waiting for ${base}/health\n`);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForHealth(base, child, () => output), exited]);
    process.stderr.write('bench:web: seeding a community and a member with 200 entries\n');
    const adminToken = (
      await graphql<{ login: { token: string } }>(
        base,
        'mutation($i: LoginInput!) { login(input: $i) { token } }',
        { i: admin },
      )
    ).login.token;
    const slug = `bench-${randomBytes(3).toString('hex')}`;
    await graphql(
      base,
      'mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { community { id } } }',
      {
        i: {
          slug,
          name: 'Bench Time Bank',
          stewardEmail: `steward@${slug}.example`,
          stewardPassword: 'steward-password-1',
          stewardName: 'Sam',
        },
      },
      adminToken,
    );
    const steward = (
      await graphql<{ login: { token: string } }>(
        base,
        'mutation($i: LoginInput!) { login(input: $i) { token } }',
        {
          i: {
            communitySlug: slug,
            email: `steward@${slug}.example`,
            password: 'steward-password-1',
          },
        },
      )
    ).login.token;
    await graphql(
      base,
      'mutation { createCurrency(input: {code: "HOUR", name: "Hours", kind: TIME, scale: 2, policy: {mode: MUTUAL_CREDIT, defaultFloor: "-1000.00"}}) { code } }',
      {},
      steward,
    );
    const register = async (name: string) =>
      (
        await graphql<{
          register: { token: string; user: { id: string; displayName: string; role: string } };
        }>(
          base,
          'mutation($i: RegisterInput!) { register(input: $i) { token user { id displayName role } } }',
          {
            i: {
              communitySlug: slug,
              email: `${name}@${slug}.example`,
              password: `${name}-password-1`,
              displayName: name,
            },
          },
        )
      ).register;
    const ana = await register('Ana');
    const ben = await register('Ben');
    const open = async (token: string) =>
      (
        await graphql<{ openAccount: { id: string } }>(
          base,
          'mutation { openAccount(input: {currencyCode: "HOUR"}) { id } }',
          {},
          token,
        )
      ).openAccount.id;
    const anaAccount = await open(ana.token);
    const benAccount = await open(ben.token);
    for (let offset = 0; offset < ENTRIES; offset += 100) {
      await graphql(
        base,
        'mutation($i: TransferBatchInput!) { transferBatch(input: $i) { postedCount } }',
        {
          i: {
            atomic: true,
            transfers: Array.from({ length: 100 }, (_, index) => ({
              fromAccountId: index % 2 === 0 ? anaAccount : benAccount,
              toAccountId: index % 2 === 0 ? benAccount : anaAccount,
              amount: '0.25',
              kind: 'EXCHANGE',
              idempotencyKey: `bench-web-${offset + index}`,
            })),
          },
        },
        steward,
      );
    }
    const session = JSON.stringify({
      slug,
      token: ana.token,
      userId: ana.user.id,
      displayName: ana.user.displayName,
      role: ana.user.role,
    });
    const renders: number[] = [];
    const paints: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await context.addInitScript(
        `window.localStorage.setItem(${JSON.stringify(`mutua.session.${slug}`)}, ${JSON.stringify(session)});`,
      );
      const page = await context.newPage();
      await page.goto(`${base}/c/${slug}/home`);
      await page.locator('.card dd.big').first().waitFor({ timeout: 30_000 });
      const rendered = await page.evaluate<number>('performance.now()');
      const paint = await page.evaluate<number>(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
      );
      if (run > 0) {
        renders.push(rendered);
        paints.push(paint);
      }
      await context.close();
    }
    const render = stats(renders);
    const paint = stats(paints);
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const initial = chunks.filter((chunk) => chunk.initial);
    const sum = (list: Chunk[], key: 'bytes' | 'gzipBytes') =>
      list.reduce((total, chunk) => total + chunk[key], 0);
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = [
      WEB_SECTION_START,
      '## Web app',
      '',
      `Written by \`npm run bench:web\` (bench/web.ts) on ${when} UTC, in ${Math.round((Date.now() - started) / 1000)} s, on ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)} at the end). Targets: under 200 kB of JavaScript (gzip) and under 1 s to the first render of the member view.`,
      '',
      '| JavaScript file | loaded | size (kB) | gzip (kB) |',
      '| --- | --- | --- | --- |',
      ...chunks.map(
        (chunk) =>
          `| \`${chunk.file.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js')}\` | ${chunk.initial ? 'on the first page' : 'when its page opens'} | ${kb(chunk.bytes)} | ${kb(chunk.gzipBytes)} |`,
      ),
      `| **all JavaScript** | | ${kb(sum(chunks, 'bytes'))} | **${kb(sum(chunks, 'gzipBytes'))}** |`,
      `| first page only | | ${kb(sum(initial, 'bytes'))} | ${kb(sum(initial, 'gzipBytes'))} |`,
      '',
      `| member view, ${RUNS} cold loads (ms) | min | median | max |`,
      '| --- | --- | --- | --- |',
      `| navigation start → balance on screen | ${render.min.toFixed(0)} | **${render.median.toFixed(0)}** | ${render.max.toFixed(0)} |`,
      `| navigation start → first contentful paint | ${paint.min.toFixed(0)} | ${paint.median.toFixed(0)} | ${paint.max.toFixed(0)} |`,
      '',
      `The production server on the embedded PostgreSQL (a temp folder), a member whose account has ${ENTRIES} entries, headless Chromium on a 390 × 844 screen with a fresh profile per load, on the same machine: no network latency is included.`,
      WEB_SECTION_END,
      '',
    ].join('\n');
    writeFileSync(
      RESULTS,
      withWebSection(existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '', section),
    );
    process.stdout.write(`${section}\n`);
  } finally {
    await browser.close();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** RESULTS.md with its web app section replaced by `section` (or added at the end). */
export function withWebSection(results: string, section: string): string {
  const start = results.indexOf(WEB_SECTION_START);
  const end = results.indexOf(WEB_SECTION_END);
  if (start === -1 || end === -1) return `${results.trimEnd()}\n\n${section}`;
  return `${results.slice(0, start)}${section.trimEnd()}${results.slice(end + WEB_SECTION_END.length)}`;
}

/** The web app section of a RESULTS.md, to carry over when `npm run bench` rewrites the rest. */
export function webSectionOf(results: string): string | undefined {
  const start = results.indexOf(WEB_SECTION_START);
  const end = results.indexOf(WEB_SECTION_END);
  return start === -1 || end === -1
    ? undefined
    : results.slice(start, end + WEB_SECTION_END.length);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:web: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
