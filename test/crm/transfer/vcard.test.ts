import { describe, expect, it } from 'vitest';
import { foldLine, parseVCards, writeVCards, type VCard } from '../../../core/crm/transfer/vcard.js';

const card = (over: Partial<VCard>): VCard => ({
  fullName: null,
  firstName: null,
  lastName: null,
  emails: [],
  phones: [],
  org: null,
  title: null,
  note: null,
  categories: [],
  ...over,
});

describe('vCard', () => {
  it('parses a 3.0 card with groups, parameters, folding and escapes, and several cards', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Zoë Łukasiewicz',
      'N:Łukasiewicz;Zoë;;;',
      'item1.EMAIL;TYPE=INTERNET,pref:zoe@example.com',
      'EMAIL;TYPE="work,internet":zoe@work.example',
      'TEL;TYPE=CELL:+48 600 100 200',
      'ORG:Acme\\, Inc.;Research',
      'TITLE:Head of R&D',
      'NOTE:Met at the fair\\nlikes tea\\; not coffee. This note is long enough to be folded across',
      '  lines.',
      'CATEGORIES:vip,friends\\, old',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Bob',
      'TEL;VALUE=uri:tel:+1-555-0100',
      'END:VCARD',
      '',
    ].join('\r\n');
    const [zoe, bob] = parseVCards(text);
    expect(zoe).toEqual(
      card({
        fullName: 'Zoë Łukasiewicz',
        firstName: 'Zoë',
        lastName: 'Łukasiewicz',
        emails: ['zoe@example.com', 'zoe@work.example'],
        phones: ['+48 600 100 200'],
        org: 'Acme, Inc.',
        title: 'Head of R&D',
        note: 'Met at the fair\nlikes tea; not coffee. This note is long enough to be folded across lines.',
        categories: ['vip', 'friends, old'],
      }),
    );
    expect(bob).toEqual(card({ fullName: 'Bob', phones: ['+1-555-0100'] }));
  });

  it('round-trips cards through writeVCards (3.0 and 4.0), folding long lines at 75 octets', () => {
    const cards = [
      card({
        fullName: 'Zoë Łukasiewicz',
        firstName: 'Zoë',
        lastName: 'Łukasiewicz',
        emails: ['zoe@example.com'],
        phones: ['+48 600 100 200', '+48 22 123 45 67'],
        org: 'Acme; Inc, \\ Ltd',
        title: 'Chief 🎉 Officer',
        note: `${'é'.repeat(120)}\nsecond line`,
        categories: ['vip', 'a,b'],
      }),
      card({ fullName: 'Ana', firstName: 'Ana' }),
    ];
    for (const version of ['3.0', '4.0'] as const) {
      const text = writeVCards(cards, version);
      for (const line of text.split('\r\n'))
        expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
      expect(parseVCards(text)).toEqual(cards);
    }
  });

  it('never folds inside a character', () => {
    const folded = foldLine(`NOTE:${'😀'.repeat(40)}`);
    expect(folded.replace(/\r\n /g, '')).toBe(`NOTE:${'😀'.repeat(40)}`);
    expect(folded).not.toContain('\uFFFD');
  });
});
