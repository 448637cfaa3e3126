#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`: builds what is stale, then becomes the server.
 * `npm run build` (`--build`): builds everything, and stops there.
 *
 * There is no process in between: this script loads the built server into
 * its own process, so the PID npm starts (and the server logs) is the
 * server's, and SIGINT or SIGTERM, sent to it or to npm (which forwards both
 * to its child), stops it cleanly. The npm script is `exec node …` so that
 * the shell npm runs scripts with does not stay in between either.
 *
 * A build step runs only when one of its sources (a file or a folder, whose
 * time changes when an entry is added or removed) is newer than the stamp the
 * step writes when it succeeds, so a second start costs no compilation. It is
 * plain JavaScript because it runs before anything is compiled.
 *
 * The web app (web/ → web/dist) is built after the server, by
 * scripts/build-web.ts, which decides what its build depends on; this script
 * loads the copy compiled with the server, so it needs no TypeScript when
 * nothing is stale.
 */
const { spawnSync } = require('node:child_process');
const {
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} = require('node:fs');
const { dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
/** Never sources: installed packages, build output, runtime data. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'data', '.git', 'coverage']);

/**
 * @typedef {object} BuildStep
 * @property {string} name what is built, for the operator
 * @property {string[]} sources files and folders, relative to the repository
 * @property {RegExp} [ignore] relative paths under `sources` that do not matter
 * @property {string} stamp written after a successful build; its time is the build's start
 * @property {() => string[]} command the build command and its arguments
 */

/** @type {BuildStep[]} */
const BUILD_STEPS = [
  {
    name: 'server',
    sources: [
      'src',
      'migrations',
      'scripts',
      'package.json',
      'tsconfig.json',
      'tsconfig.build.json',
    ],
    // Specs are not part of the build (tsconfig.build.json leaves them out).
    ignore: /\.spec\.ts$/,
    stamp: 'dist/.build-stamp',
    command: () => [
      process.execPath,
      tool('typescript/bin/tsc', 'TypeScript'),
      '-p',
      'tsconfig.build.json',
    ],
  },
];

class StartError extends Error {}

/** @param {string} modulePath @param {string} what */
function tool(modulePath, what) {
  try {
    return require.resolve(modulePath, { paths: [ROOT] });
  } catch {
    throw new StartError(
      `${what} is not installed, and the build is older than its sources. ` +
        '`npm start` is for a development checkout: run `npm ci` (with the development dependencies) first. ' +
        'A production install runs `node dist/src/main.js` on a build made beforehand (`npm run build`).',
    );
  }
}

/**
 * The newest change under `path`, or 0 when it does not exist.
 * @param {string} path absolute
 * @param {RegExp | undefined} ignore
 * @returns {{ time: number, path: string }}
 */
function newestChange(path, ignore) {
  if (!existsSync(path)) return { time: 0, path };
  const stat = statSync(path);
  /** @type {{ time: number, path: string }} */
  let newest = { time: stat.mtimeMs, path };
  if (!stat.isDirectory()) return newest;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_FOLDERS.has(entry.name)) continue;
    const child = join(path, entry.name);
    if (ignore !== undefined && !entry.isDirectory() && ignore.test(relative(ROOT, child)))
      continue;
    const found = newestChange(child, ignore);
    if (found.time > newest.time) newest = found;
  }
  return newest;
}

/** @param {BuildStep} step @returns {string | undefined} why it must run, or undefined when it is fresh */
function staleness(step) {
  const stamp = join(ROOT, step.stamp);
  if (!existsSync(stamp)) return 'never built here';
  const built = statSync(stamp).mtimeMs;
  for (const source of step.sources) {
    const newest = newestChange(join(ROOT, source), step.ignore);
    if (newest.time > built) return `${relative(ROOT, newest.path)} changed`;
  }
  return undefined;
}

/** @param {BuildStep} step @param {string} reason */
function build(step, reason) {
  const [command, ...args] = step.command();
  process.stderr.write(`mutua: building the ${step.name} (${reason})…\n`);
  const startedAt = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new StartError(
      `building the ${step.name} failed (${result.error?.message ?? result.signal ?? `exit code ${result.status}`}); fix the errors above and start again`,
    );
  }
  // The stamp carries the build's start time: a source saved during the
  // build is newer, and the next start builds again.
  const stamp = join(ROOT, step.stamp);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date(startedAt).toISOString()}\n`);
  utimesSync(stamp, startedAt / 1000, startedAt / 1000);
  process.stderr.write(
    `mutua: built the ${step.name} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`,
  );
}

// `--build` (npm run build): build every step, stale or not, and do not start.
const buildOnly = process.argv.includes('--build');
try {
  for (const step of BUILD_STEPS) {
    const reason = buildOnly ? 'asked for' : staleness(step);
    if (reason !== undefined) build(step, reason);
  }
  /** @type {{ buildWebIfStale: (force?: boolean) => void }} */
  const web = require(join(ROOT, 'dist', 'scripts', 'build-web.js'));
  web.buildWebIfStale(buildOnly);
} catch (error) {
  process.stderr.write(`mutua: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

if (buildOnly) process.exit(0);

// Stack traces of the server name the TypeScript sources.
process.setSourceMapsEnabled(true);
require(join(ROOT, 'dist', 'src', 'main.js'));
