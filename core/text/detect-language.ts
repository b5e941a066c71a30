import { francAll } from 'franc';
import type { Language } from '../domain/languages.js';

/** ISO 639-3 codes franc returns for our Latin-script languages. */
const FRANC_TO_LANGUAGE: Record<string, Language> = {
  eng: 'en',
  ind: 'id',
  zlm: 'ms',
  vie: 'vi',
  tgl: 'fil',
};
const FRANC_ONLY = Object.keys(FRANC_TO_LANGUAGE);

const SCRIPTS: Array<[RegExp, Language]> = [
  [/\p{Script=Thai}/gu, 'th'],
  [/\p{Script=Khmer}/gu, 'km'],
  [/\p{Script=Lao}/gu, 'lo'],
  [/\p{Script=Myanmar}/gu, 'my'],
  [/\p{Script=Han}/gu, 'zh'],
];
const VIETNAMESE_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
/** Words common in Malaysian Malay and rare in Indonesian: franc alone confuses the two. */
const MALAY_MARKERS = /\b(boleh|kerana|sahaja|daripada|kenderaan|kilang|syarikat|penyelidikan|kerajaan|pejabat|memerlukan bantuan|teknologi kami|bagi|ialah|iaitu|tak)\b/iu;
const INDONESIAN_MARKERS = /\b(tidak bisa|bisa|karena|saja|pabrik|perusahaan|penelitian|pemerintah|kantor|kami butuh|butuh|gimana|nggak|enggak)\b/iu;

export interface LanguageGuess {
  language: Language;
  /** 0..1; short texts and close calls score low. */
  confidence: number;
}

/**
 * Guesses the language of a text. Non-Latin scripts decide by script (each of our languages has its own);
 * Latin-script text goes to franc restricted to our five Latin-script languages. Returns `undefined` when
 * the text is too short to tell (the caller falls back to the user's language).
 */
export function detectLanguage(text: string): LanguageGuess | undefined {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return undefined;
  let best: [Language, number] | undefined;
  for (const [pattern, language] of SCRIPTS) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > 0 && (!best || count > best[1])) best = [language, count];
  }
  if (best && best[1] / letters > 0.3) return { language: best[0], confidence: Math.min(1, best[1] / 4) };
  if (VIETNAMESE_LETTERS.test(text) && (text.match(new RegExp(VIETNAMESE_LETTERS, 'giu'))?.length ?? 0) >= 2) {
    return { language: 'vi', confidence: 0.9 };
  }
  if (letters < 8) return undefined;
  const ranked = francAll(text, { only: FRANC_ONLY, minLength: 8 });
  const [top, second] = ranked;
  if (!top || top[0] === 'und') return undefined;
  let language = FRANC_TO_LANGUAGE[top[0]];
  if (!language) return undefined;
  const margin = second ? top[1] - second[1] : 1;
  if (language === 'id' || language === 'ms') {
    const malay = MALAY_MARKERS.test(text);
    const indonesian = INDONESIAN_MARKERS.test(text);
    if (malay && !indonesian) language = 'ms';
    else if (indonesian && !malay) language = 'id';
  }
  const lengthFactor = Math.min(1, letters / 40);
  return { language, confidence: Math.max(0.05, Math.min(1, (0.5 + margin) * lengthFactor)) };
}
