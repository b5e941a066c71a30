export interface PassageOptions {
  /** Upper bound of a passage in characters; ~1,000 characters stays under 512 model tokens in every script. */
  maxChars: number;
}

export const DEFAULT_PASSAGE_OPTIONS: PassageOptions = { maxChars: 900 };

const sentenceSegmenter = new Intl.Segmenter('und', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * Splits a long text into passages at sentence boundaries so no part of it falls past an embedding
 * model's token limit. A sentence longer than a passage is split at word boundaries.
 * Consecutive passages share their boundary sentence, so a phrase is never cut from its context.
 */
export function splitPassages(text: string, options: PassageOptions = DEFAULT_PASSAGE_OPTIONS): string[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length === 0) return [];
  if (clean.length <= options.maxChars) return [clean];
  const sentences: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(clean)) {
    const sentence = segment.trim();
    if (!sentence) continue;
    if (sentence.length <= options.maxChars) sentences.push(sentence);
    else sentences.push(...splitLongSentence(sentence, options.maxChars));
  }
  const passages: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const sentence of sentences) {
    if (length + sentence.length + 1 > options.maxChars && current.length > 0) {
      passages.push(current.join(' '));
      const overlap = current[current.length - 1]!;
      current = overlap.length + sentence.length + 1 <= options.maxChars ? [overlap] : [];
      length = current.reduce((sum, s) => sum + s.length + 1, 0);
    }
    current.push(sentence);
    length += sentence.length + 1;
  }
  if (current.length > 0) passages.push(current.join(' '));
  return passages;
}

function splitLongSentence(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const { segment } of wordSegmenter.segment(sentence)) {
    if (current.length + segment.length > maxChars && current.trim()) {
      pieces.push(current.trim());
      current = '';
    }
    current += segment;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}
