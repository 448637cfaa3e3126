import { MAX_VERIFIED_TOKENS, TokenClaims, VerifiedTokens } from '../access/tokens';

const claims = (exp?: number): TokenClaims & { exp?: number } => ({
  sub: 'user',
  cid: 'community',
  role: 'MEMBER',
  tv: 0,
  exp,
});

describe('tokens whose signature was verified', () => {
  it('gives back the claims of a token until it expires, then nothing', () => {
    const tokens = new VerifiedTokens();
    const expSeconds = 2_000_000_000;
    tokens.remember('a.b.c', claims(expSeconds));
    expect(tokens.get('a.b.c', expSeconds * 1000 - 1)).toMatchObject({ sub: 'user', tv: 0 });
    expect(tokens.get('a.b.c', expSeconds * 1000)).toBeUndefined();
    expect(tokens.get('a.b.c', 0)).toBeUndefined();
  });

  it('knows only the exact string it verified', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('a.b.c', claims(2_000_000_000));
    expect(tokens.get('a.b.d', 0)).toBeUndefined();
  });

  it('keeps no token without an expiry', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('a.b.c', claims(undefined));
    expect(tokens.size).toBe(0);
  });

  it(`keeps at most ${MAX_VERIFIED_TOKENS} tokens, dropping the least recently used`, () => {
    const tokens = new VerifiedTokens();
    for (let index = 0; index <= MAX_VERIFIED_TOKENS; index += 1) {
      tokens.remember(`t${index}`, claims(2_000_000_000));
      if (index === 1) tokens.get('t0', 0);
    }
    expect(tokens.size).toBe(MAX_VERIFIED_TOKENS);
    expect(tokens.get('t1', 0)).toBeUndefined();
    expect(tokens.get('t0', 0)).toBeDefined();
    expect(tokens.get(`t${MAX_VERIFIED_TOKENS}`, 0)).toBeDefined();
  });
});
