import { describe, expect, it } from 'vitest';
import { APP_START_URL, externalUrlToOpen, isAppUrl } from '../../src-main/service/trusted-url.js';

describe('trusted URLs (navigation guard and sender check)', () => {
  it('accepts the app scheme and host only', () => {
    expect(isAppUrl(APP_START_URL)).toBe(true);
    expect(isAppUrl('app://eventfold/assets/index.js#/contacts')).toBe(true);
    for (const url of [
      'app://eventfold.evil.com/index.html',
      'app://evil/index.html',
      'app://user@eventfold/index.html',
      'https://eventfold/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      '',
    ])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('trusts the dev server only when given, by exact origin', () => {
    const dev = 'http://localhost:5173';
    expect(isAppUrl('http://localhost:5173/#/contacts', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/contacts')).toBe(false);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5173@evil.com/', dev)).toBe(false);
    expect(isAppUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAppUrl('http://x:y@localhost:5173/', dev)).toBe(false);
  });

  it('opens only web and mail links outside the app', () => {
    expect(externalUrlToOpen('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    expect(externalUrlToOpen('http://example.com')).toBe('http://example.com/');
    expect(externalUrlToOpen('mailto:ana@example.com')).toBe('mailto:ana@example.com');
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'data:text/html,hi',
      'garbage',
    ])
      expect(externalUrlToOpen(url), url).toBeNull();
  });
});
