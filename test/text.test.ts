import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../core/text/detect-language.js';
import { foldLatin, matchForm, normalizeText } from '../core/text/normalize.js';
import { splitPassages } from '../core/text/passages.js';
import { terms, tokenize } from '../core/text/segment.js';

describe('segmentation', () => {
  it('splits scripts written without spaces into words', () => {
    expect(terms('ระบบกรองน้ำพลังงานแสงอาทิตย์สำหรับหมู่บ้าน')).toEqual(
      expect.arrayContaining(['กรอง', 'น้ำ', 'พลังงาน', 'หมู่บ้าน']),
    );
    expect(terms('ការចម្រោះទឹកដោយថាមពលព្រះអាទិត្យ')).toEqual(expect.arrayContaining(['ចម្រោះ', 'ទឹក', 'ថាមពល']));
    expect(terms('ເຄື່ອງກອງນ້ຳພະລັງງານແສງຕາເວັນ')).toEqual(expect.arrayContaining(['ກອງ', 'ພະລັງງານ']));
    expect(terms('ရေသန့်စင်စက်နေရောင်ခြည်စွမ်းအင်')).toEqual(expect.arrayContaining(['စက်', 'စွမ်းအင်']));
    expect(terms('太阳能净水设备用于农村')).toEqual(expect.arrayContaining(['设备', '农村']));
  });

  it('keeps Thai SARA AM and Lao AM intact after NFKC', () => {
    expect(normalizeText('น้ำ')).toBe('น้ำ');
    expect(normalizeText('ນ້ຳ')).toBe('ນ້ຳ');
  });

  it('folds Vietnamese diacritics and English plurals so both spellings meet', () => {
    expect(terms('Hệ thống lọc nước')).toEqual(terms('he thong loc nuoc'));
    expect(foldLatin('đường')).toBe('duong');
    expect(terms('Sensors and batteries')).toEqual(['sensor', 'and', 'battery']);
    expect(matchForm('ＦＰＧＡ')).toBe('fpga');
  });

  it('numbers positions of word tokens and drops punctuation', () => {
    expect(tokenize('Drones, for rice!').map((t) => [t.term, t.position])).toEqual([
      ['drone', 0],
      ['for', 1],
      ['rice', 2],
    ]);
  });
});

describe('language detection', () => {
  it.each([
    ['บ่อกุ้งของเรามีออกซิเจนต่ำ', 'th'],
    ['ត្រូវការប្រព័ន្ធចម្រោះទឹក', 'km'],
    ['ຕ້ອງການເຄື່ອງກອງນ້ຳ', 'lo'],
    ['ရေသန့်စင်စက် လိုအပ်ပါသည်', 'my'],
    ['我们需要净水设备', 'zh'],
    ['Chúng tôi cần công nghệ lọc nước cho làng', 'vi'],
    ['Kailangan namin ng teknolohiya para linisin ang tubig sa aming baryo', 'fil'],
    ['Kami butuh teknologi untuk menjernihkan air di desa karena airnya keruh', 'id'],
    ['Syarikat kami memerlukan teknologi untuk menapis air kerana air sungai kotor', 'ms'],
    ['We need a low-cost way to purify river water for villages', 'en'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)?.language).toBe(language);
  });

  it('gives up on text too short to tell', () => {
    expect(detectLanguage('ok')).toBeUndefined();
    expect(detectLanguage('123 !!')).toBeUndefined();
  });
});

describe('passages', () => {
  it('keeps short text whole and splits long text at sentence boundaries without losing any', () => {
    expect(splitPassages('Short text.')).toEqual(['Short text.']);
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} talks about corrosion of steel pipes.`);
    const passages = splitPassages(sentences.join(' '), { maxChars: 300 });
    expect(passages.length).toBeGreaterThan(5);
    for (const passage of passages) expect(passage.length).toBeLessThanOrEqual(300);
    for (const sentence of sentences) expect(passages.some((p) => p.includes(sentence))).toBe(true);
  });

  it('splits a sentence longer than a passage at word boundaries', () => {
    const long = 'กรองน้ำ'.repeat(400);
    const passages = splitPassages(long, { maxChars: 200 });
    expect(passages.length).toBeGreaterThan(5);
    expect(passages.join('')).toBe(long);
  });
});
