import * as argon2 from 'argon2';

/**
 * Password hashing with argon2id at the library's defaults (64 MiB, 3 passes).
 * Lengths are bounded both ways: short passwords are guessable, and very long
 * ones would let a client make us hash megabytes.
 *
 * At most MAX_CONCURRENT_HASHES hashes run at once. argon2 runs on Node's
 * small worker pool (4 threads by default), which the database driver also
 * needs to sign in each new connection (SCRAM): a burst of sign-ups that
 * filled the pool with hashes left new connections waiting until the pool
 * gave up on them, failing requests that had nothing to do with passwords.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export const MAX_CONCURRENT_HASHES = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    // Hands the slot straight to the next in line, or frees it.
    const next = waiting.shift();
    if (next !== undefined) next();
    else running -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => argon2.hash(password, { type: argon2.argon2id }));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await limited(() => argon2.verify(hash, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash to verify against when the email is unknown, so that a login for a
 * missing user costs the same time as one for a real user.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('mutua-no-such-user-placeholder');
  return dummyHash;
}
