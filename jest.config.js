// Jest runs TypeScript through SWC (about twice as fast as ts-jest); type
// checking is the job of `npm run build` and `npm run lint`.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
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
