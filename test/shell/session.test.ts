import { describe, expect, it } from 'vitest';
import {
  isAllowedOrigin,
  isOwnHost,
  newSessionToken,
  readCookie,
  sessionCookie,
  tokenMatches,
} from '../../src-main/web/session.js';

describe('browser-mode session rules', () => {
  it('makes distinct URL-safe tokens and compares them exactly', () => {
    const a = newSessionToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newSessionToken()).not.toBe(a);
    expect(tokenMatches(a, a)).toBe(true);
    for (const wrong of [
      undefined,
      null,
      '',
      a.slice(1),
      `${a}x`,
      a.toUpperCase() === a ? a.toLowerCase() : a.toUpperCase(),
    ])
      expect(tokenMatches(wrong, a)).toBe(false);
  });

  it('reads its cookie among others', () => {
    const set = sessionCookie(4000, 'tok');
    expect(set).toBe('eventfold_session_4000=tok; Path=/; HttpOnly; SameSite=Strict');
    expect(readCookie('a=1; eventfold_session_4000=tok; b=2', 'eventfold_session_4000')).toBe('tok');
    expect(readCookie('eventfold_session_40001=x', 'eventfold_session_4000')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });

  it('accepts only its own Host and Origin', () => {
    expect(isOwnHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isOwnHost('localhost:4000', 4000)).toBe(true);
    for (const host of [undefined, '127.0.0.1', '127.0.0.1:4001', 'evil.example:4000', '0.0.0.0:4000'])
      expect(isOwnHost(host, 4000)).toBe(false);
    expect(isAllowedOrigin(undefined, 4000)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    for (const origin of ['null', 'http://127.0.0.1:4001', 'https://127.0.0.1:4000', 'http://evil.example'])
      expect(isAllowedOrigin(origin, 4000)).toBe(false);
  });
});
