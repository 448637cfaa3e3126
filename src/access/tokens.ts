import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Shapes of the secrets Mutua hands out.
 *
 * A login token is a JWT with claims `sub` (user id), `cid` (community id),
 * `role` and `tv` (the user's token version when issued).
 *
 * A till API key reads `mk_<community id>_<key id>_<secret>` (ids as 32 hex
 * digits, secret 43 base64url characters). The ids let the key be found with
 * one primary-key lookup; the secret is compared by SHA-256 in constant time.
 */
export interface TokenClaims {
  sub: string;
  cid: string;
  role: string;
  tv: number;
}

const API_KEY_PATTERN = /^mk_([0-9a-f]{32})_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameHash(leftHex: string, rightHex: string): boolean {
  const left = Buffer.from(leftHex, 'hex');
  const right = Buffer.from(rightHex, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatApiKey(communityId: string, keyId: string, secret: string): string {
  return `mk_${communityId.replace(/-/g, '')}_${keyId.replace(/-/g, '')}_${secret}`;
}

export function parseApiKey(
  text: string,
): { communityId: string; keyId: string; secret: string } | undefined {
  const match = API_KEY_PATTERN.exec(text);
  if (match === null) return undefined;
  return { communityId: dashed(match[1]), keyId: dashed(match[2]), secret: match[3] };
}

export function isApiKeyShaped(text: string): boolean {
  return text.startsWith('mk_');
}

function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Verified tokens kept at most; the least recently used goes first. */
export const MAX_VERIFIED_TOKENS = 10_000;

/**
 * Tokens whose signature this process has checked, with their claims. The
 * same string carries the same signature, made with the same key, so it need
 * not be checked again; its expiry still is, on every use. Revocation is not
 * decided here but by the caller's token version (CallerCache).
 */
export class VerifiedTokens {
  private readonly tokens = new Map<string, TokenClaims & { exp: number }>();

  /** The claims of a token checked before and not yet expired. */
  get(token: string, nowMs = Date.now()): TokenClaims | undefined {
    const claims = this.tokens.get(token);
    if (claims === undefined) return undefined;
    this.tokens.delete(token);
    if (claims.exp * 1000 <= nowMs) return undefined;
    this.tokens.set(token, claims);
    return claims;
  }

  /** Keeps a token whose signature has just been verified, if it expires. */
  remember(token: string, claims: TokenClaims & { exp?: number }): void {
    if (typeof claims.exp !== 'number') return;
    this.tokens.set(token, { ...claims, exp: claims.exp });
    if (this.tokens.size > MAX_VERIFIED_TOKENS) {
      this.tokens.delete(this.tokens.keys().next().value as string);
    }
  }

  get size(): number {
    return this.tokens.size;
  }
}
