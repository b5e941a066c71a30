const LATIN = /\p{Script=Latin}/u;
const COMBINING = /\p{M}/gu;

/**
 * Unicode NFKC + lowercase. Keeps every script's combining marks (they carry meaning in Thai, Khmer, Burmese…).
 * NFKC splits Thai SARA AM and Lao AM into two code points, which ICU's dictionaries do not expect: put them back.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\u0E4D\u0E32/g, '\u0E33').replace(/\u0ECD\u0EB2/g, '\u0EB3');
}

/**
 * Strips diacritics from Latin-script letters only ("lọc nước" → "loc nuoc", "đ" → "d"), so Vietnamese
 * written with or without tone marks meets. Other scripts are returned unchanged.
 */
export function foldLatin(text: string): string {
  if (!LATIN.test(text)) return text;
  let out = '';
  for (const char of text) {
    if (LATIN.test(char)) {
      out += char.normalize('NFD').replace(COMBINING, '').replace('đ', 'd').replace('Đ', 'D');
    } else {
      out += char;
    }
  }
  return out.normalize('NFC');
}

/** The one normal form used for matching: NFKC, lowercase, Latin diacritics folded. */
export function matchForm(text: string): string {
  return foldLatin(normalizeText(text));
}

/**
 * Light, language-agnostic plural folding for Latin-script tokens ("sensors" → "sensor", "batteries" →
 * "battery"). Applied identically to listings and queries, so a rare collision costs little.
 */
export function foldLatinToken(token: string): string {
  if (token.length < 4 || !/^[a-z0-9-]+$/.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return token.slice(0, -3) + 'y';
  if (/(ss|us|is)$/.test(token)) return token;
  if (/(ches|shes|xes|sses)$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s')) return token.slice(0, -1);
  return token;
}
