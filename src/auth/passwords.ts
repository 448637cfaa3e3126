import * as argon2 from 'argon2';

/**
 * Password hashing with argon2id at the library's defaults (64 MiB, 3 passes).
 * Lengths are bounded both ways: short passwords are guessable, and very long
 * ones would let a client make us hash megabytes.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
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
