// Jest runs TypeScript through SWC (about twice as fast as ts-jest); type
// checking is the job of `npm run build` and `npm run lint`.
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  // jest's Node.js environment, whose workers exit promptly: see the file.
  testEnvironment: '<rootDir>/test/harness/test-environment.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The build (npm start, npm run build) holds a copy of package.json and
  // compiled sources: never modules or tests of their own.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  // The harness points TMPDIR at a folder it deletes after the run; the
  // transform cache lives in the machine's temp folder, to be reused.
  cacheDirectory: join(
    process.env.MUTUA_SYSTEM_TMPDIR ?? tmpdir(),
    `jest_${process.getuid ? process.getuid().toString(36) : 'default'}`,
  ),
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Generous: password hashing (argon2, 64 MiB) is slow on a busy 2-core machine.
  testTimeout: 120000,
  maxWorkers: 2,
};
