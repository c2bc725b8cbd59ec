/**
 * Text normalization shared by every search of the read side: case and diacritics folding, word splitting,
 * compact per-row search keys and prefix matching of query words.
 * @module
 */

/** Letters that `normalize('NFD')` does not decompose into a base letter plus marks. */
const SPECIAL: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŀ: 'l',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');
const MARKS_RE = /\p{M}+/gu;
const NON_WORD_RE = /[^\p{L}\p{N}]+/u;

/**
 * Folds text for comparison: lower case, diacritics stripped (`NFD` + marks removed), special letters spelled out
 * (`ł` -> `l`, `ß` -> `ss`, `æ` -> `ae`, ...). `foldText('Zoë Łukasiewicz')` is `'zoe lukasiewicz'`.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(MARKS_RE, '')
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c);
}

/** The folded words of a text (letters and digits; everything else separates words), in order, with repeats. */
export function words(text: string): string[] {
  return foldText(text)
    .split(NON_WORD_RE)
    .filter((w) => w !== '');
}

/**
 * A compact search key: the distinct folded words of all `parts`, each preceded by a space (`' zoe lukasiewicz'`),
 * so that "a word starts with `q`" is one `key.includes(' ' + q)`.
 */
export function searchKey(parts: readonly (string | null | undefined)[]): string {
  const seen = new Set<string>();
  for (const part of parts) if (part) for (const w of words(part)) seen.add(w);
  return [...seen].map((w) => ` ${w}`).join('');
}

/** The words of a search key (the inverse of {@link searchKey}). */
export function keyWords(key: string): string[] {
  return key === '' ? [] : key.slice(1).split(' ');
}

/** The query's folded words, longest first (the most selective first), without repeats. */
export function queryWords(query: string): string[] {
  return [...new Set(words(query))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Does every query word prefix some word of the key? (An empty query matches everything.) */
export function matchesKey(key: string, query: readonly string[]): boolean {
  return query.every((q) => key.includes(` ${q}`));
}
