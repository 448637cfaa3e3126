/**
 * The public API of the pure ledger core: plain values in, plain values out,
 * LedgerError for expected refusals.
 */
export * from './amount';
export * from './checkpoint';
export * from './commands';
export * from './hash-chain';
export * from './idempotency';
export * from './ledger-error';
export * from './planner';
export * from './policy';
export * from './posting';
export * from './refusals';
export * from './snapshot';
export * from './transfer-policy';
export * from './transfer-state';
