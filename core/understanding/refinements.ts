import type { Language } from '../domain/languages.js';
import type { ListingKind } from '../domain/listing.js';
import type { Sector } from '../domain/sectors.js';
import { Glossary } from '../glossary/glossary.js';
import { contentWords } from './content-words.js';
import { findCountries } from './countries.js';
import { PhraseMatcher, baseText, cut, nonOverlapping, type PhraseEntry, type Span } from './phrase-matcher.js';
import { findSectorWords } from './sector-words.js';
import { findStageWords, findTrlNumbers } from './trl.js';
import type { Refinement } from './types.js';

/**
 * Plain-word refinements of a search in all ten languages: countries ("only Vietnam", "chỉ Việt Nam",
 * "เฉพาะเวียดนาม", "仅限越南"), minimum TRL ("TRL 6 or higher", "TRL ≥ 6", "TRL 6 ขึ้นไป"), kinds ("only
 * expertise", "only offers"), sectors ("agriculture only", "software only" → ict) and clearing ("any
 * country", "remove filters", "semua negara", "ทุกประเทศ", "不限国家").
 *
 * How a message that is both a need and filters is split ("solar dryer only in Vietnam"):
 * 1. Refinement pieces are found anywhere (country names, TRL wordings, sector and kind words, clearing
 *    phrases), then the small words around them ("only", "in", "from", "and", "sector", "ขึ้นไป") join
 *    them into chains: runs of pieces and such words separated by nothing but spaces and punctuation.
 * 2. If nothing but function words is left once every piece and such word is taken out, the whole
 *    message is a refinement (`refinementOnly`).
 * 3. Otherwise the message is a need, and a chain becomes a filter (and leaves the query) only when it is
 *    unmistakably one: it holds a TRL or a clearing phrase, a restriction word ("only", "hanya", "เฉพาะ",
 *    "chỉ", "仅限"…) or an origin word ("from", "based in", "dari", "จาก", "từ", "来自"…), or it stands
 *    alone after a comma at the end ("water filter for a clinic, Vietnam"). "Solar dryer in Vietnam" and
 *    "dryers for agriculture" keep their words: there they describe the need, not the listings wanted.
 *
 * Clearing: `clear: true` with the named filters present as neutral values ("any country" →
 * `{ clear: true, countries: [] }`, "any TRL" → `{ clear: true, minTrl: 1 }`), or alone for "remove
 * filters". A message that clears one filter and sets another ("any country, TRL 6+") gives the neutral
 * values without `clear` (`{ countries: [], minTrl: 6 }`): an empty list means "no filter".
 */

type ClearTarget = 'all' | 'countries' | 'sectors' | 'minTrl' | 'kinds';

/** Written for the project. */
// prettier-ignore
const CLEAR_WORDS: Record<ClearTarget, Record<Language, string[]>> = {
  all: {
    en: ['remove filters', 'remove the filters', 'remove all filters', 'clear filters', 'clear the filters', 'clear all filters', 'reset filters', 'reset the filters', 'no filters', 'no filter', 'without filters', 'drop the filters', 'show everything', 'show all'],
    id: ['hapus filter', 'hapus semua filter', 'tanpa filter', 'reset filter', 'tampilkan semua', 'semua hasil'],
    ms: ['buang penapis', 'padam penapis', 'tanpa penapis', 'set semula penapis', 'tunjukkan semua', 'semua hasil', 'buang filter'],
    th: ['ล้างตัวกรอง', 'ยกเลิกตัวกรอง', 'ลบตัวกรอง', 'ไม่ต้องกรอง', 'แสดงทั้งหมด', 'เอาทั้งหมด'],
    vi: ['bỏ lọc', 'bỏ bộ lọc', 'xóa bộ lọc', 'xoá bộ lọc', 'không lọc', 'hiện tất cả', 'tất cả kết quả'],
    fil: ['alisin ang filter', 'tanggalin ang filter', 'walang filter', 'ipakita lahat', 'ipakita ang lahat', 'lahat ng resulta'],
    km: ['លុបតម្រង', 'ដកតម្រងចេញ', 'គ្មានតម្រង', 'បង្ហាញទាំងអស់'],
    lo: ['ລຶບຕົວກອງ', 'ຍົກເລີກຕົວກອງ', 'ບໍ່ຕ້ອງກອງ', 'ສະແດງທັງໝົດ', 'ສະແດງທັງຫມົດ'],
    my: ['စစ်ထုတ်မှုဖယ်ရှား', 'စစ်ထုတ်မှုမလို', 'အားလုံးပြပါ', 'အားလုံးပြ'],
    zh: ['取消筛选', '清除筛选', '不要筛选', '重置筛选', '显示全部', '全部结果', '取消篩選', '清除篩選', '顯示全部'],
  },
  countries: {
    en: ['any country', 'all countries', 'every country', 'any countries', 'anywhere', 'worldwide', 'from anywhere', 'no country filter'],
    id: ['semua negara', 'negara mana saja', 'negara mana pun', 'negara apa saja', 'di mana saja', 'seluruh dunia'],
    ms: ['semua negara', 'mana-mana negara', 'di mana-mana', 'seluruh dunia'],
    th: ['ทุกประเทศ', 'ประเทศไหนก็ได้', 'ที่ไหนก็ได้', 'ทั่วโลก', 'ไม่จำกัดประเทศ'],
    vi: ['tất cả các nước', 'tất cả quốc gia', 'tất cả các quốc gia', 'nước nào cũng được', 'bất kỳ quốc gia nào', 'bất kỳ nước nào', 'mọi quốc gia', 'toàn thế giới'],
    fil: ['kahit anong bansa', 'lahat ng bansa', 'kahit saang bansa', 'kahit saan'],
    km: ['គ្រប់ប្រទេស', 'ប្រទេសណាក៏បាន', 'ទូទាំងពិភពលោក'],
    lo: ['ທຸກປະເທດ', 'ປະເທດໃດກໍໄດ້', 'ທົ່ວໂລກ'],
    my: ['နိုင်ငံအားလုံး', 'ဘယ်နိုင်ငံမဆို', 'ကမ္ဘာတစ်ဝန်း'],
    zh: ['不限国家', '所有国家', '任何国家', '不限地区', '全球', '不限國家', '所有國家', '任何國家', '不限地區'],
  },
  sectors: {
    en: ['any sector', 'all sectors', 'any field', 'all fields', 'any industry'],
    id: ['semua sektor', 'sektor apa saja', 'semua bidang', 'bidang apa saja'],
    ms: ['semua sektor', 'mana-mana sektor', 'semua bidang'],
    th: ['ทุกสาขา', 'ทุกภาคส่วน', 'ทุกอุตสาหกรรม', 'ไม่จำกัดสาขา'],
    vi: ['mọi lĩnh vực', 'tất cả lĩnh vực', 'tất cả các lĩnh vực', 'lĩnh vực nào cũng được', 'tất cả các ngành'],
    fil: ['lahat ng sektor', 'kahit anong sektor', 'kahit anong larangan'],
    km: ['គ្រប់វិស័យ', 'វិស័យណាក៏បាន'],
    lo: ['ທຸກຂະແໜງ', 'ທຸກຂະແຫນງ', 'ທຸກຂະແໜງການ'],
    my: ['ကဏ္ဍအားလုံး', 'ဘယ်ကဏ္ဍမဆို'],
    zh: ['不限领域', '所有领域', '不限行业', '所有行业', '不限領域', '不限行業'],
  },
  minTrl: {
    en: ['any trl', 'any maturity', 'any stage', 'any readiness level', 'all trl levels'],
    id: ['trl berapa saja', 'semua trl', 'semua tahap', 'tkt berapa saja'],
    ms: ['mana-mana trl', 'semua trl', 'semua peringkat'],
    th: ['trl ใดก็ได้', 'trl ไหนก็ได้', 'ไม่จำกัด trl', 'ทุกระดับ trl'],
    vi: ['trl bất kỳ', 'mọi trl', 'không giới hạn trl', 'trl nào cũng được'],
    fil: ['kahit anong trl', 'lahat ng trl'],
    km: ['trl ណាក៏បាន', 'គ្រប់កម្រិត trl'],
    lo: ['trl ໃດກໍໄດ້', 'ທຸກລະດັບ trl'],
    my: ['trl မည်သည့်အဆင့်မဆို', 'trl အဆင့်အားလုံး'],
    zh: ['不限trl', '不限 trl', '不限成熟度', '任何trl', '所有trl'],
  },
  kinds: {
    en: ['all kinds', 'any kind', 'all types', 'any type', 'offers and needs'],
    id: ['semua jenis', 'jenis apa saja'],
    ms: ['semua jenis', 'mana-mana jenis'],
    th: ['ทุกประเภท', 'ประเภทไหนก็ได้'],
    vi: ['mọi loại', 'tất cả các loại', 'loại nào cũng được'],
    fil: ['lahat ng uri', 'kahit anong uri'],
    km: ['គ្រប់ប្រភេទ'],
    lo: ['ທຸກປະເພດ'],
    my: ['အမျိုးအစားအားလုံး'],
    zh: ['所有类型', '不限类型', '所有類型', '不限類型'],
  },
};

/** Written for the project. */
// prettier-ignore
const KIND_WORDS: Record<ListingKind, Record<Language, string[]>> = {
  offer: {
    en: ['offers', 'offer', 'technology offers', 'tech offers'],
    id: ['penawaran', 'tawaran', 'penawaran teknologi'],
    ms: ['tawaran', 'tawaran teknologi'],
    th: ['ข้อเสนอ', 'ข้อเสนอเทคโนโลยี', 'เทคโนโลยีที่เสนอ'],
    vi: ['chào bán', 'công nghệ chào bán', 'nguồn cung công nghệ'],
    fil: ['alok', 'mga alok', 'alok na teknolohiya'],
    km: ['ការផ្តល់ជូន', 'ការផ្ដល់ជូន', 'បច្ចេកវិទ្យាផ្តល់ជូន'],
    lo: ['ຂໍ້ສະເໜີ', 'ຂໍ້ສະເຫນີ', 'ເຕັກໂນໂລຊີທີ່ສະເໜີ'],
    my: ['ကမ်းလှမ်းချက်', 'ကမ်းလှမ်းထားသောနည်းပညာ'],
    zh: ['技术供给', '技術供給', '科技成果', '技术成果', '供给'],
  },
  expertise: {
    en: ['expertise', 'experts', 'expert', 'researchers', 'consultants', 'know-how', 'specialists'],
    id: ['keahlian', 'pakar', 'ahli', 'peneliti', 'tenaga ahli'],
    ms: ['kepakaran', 'pakar', 'penyelidik'],
    th: ['ความเชี่ยวชาญ', 'ผู้เชี่ยวชาญ', 'นักวิจัย'],
    vi: ['chuyên môn', 'chuyên gia', 'nhà nghiên cứu', 'nhà khoa học'],
    fil: ['kadalubhasaan', 'eksperto', 'dalubhasa', 'mananaliksik'],
    km: ['ជំនាញ', 'អ្នកជំនាញ', 'អ្នកស្រាវជ្រាវ'],
    lo: ['ຄວາມຊ່ຽວຊານ', 'ຜູ້ຊ່ຽວຊານ', 'ນັກຄົ້ນຄວ້າ'],
    my: ['ကျွမ်းကျင်မှု', 'ကျွမ်းကျင်သူ', 'သုတေသီ', 'ပညာရှင်'],
    zh: ['专家', '專家', '专长', '专业知识', '研究人员', '研究人員'],
  },
  need: {
    en: ['needs', 'requests', 'technology needs', 'tech needs', 'requirements'],
    id: ['kebutuhan', 'permintaan', 'kebutuhan teknologi'],
    ms: ['keperluan', 'permintaan', 'keperluan teknologi'],
    th: ['ความต้องการ', 'ความต้องการเทคโนโลยี'],
    vi: ['nhu cầu', 'nhu cầu công nghệ'],
    fil: ['pangangailangan', 'mga pangangailangan'],
    km: ['តម្រូវការ', 'តម្រូវការបច្ចេកវិទ្យា'],
    lo: ['ຄວາມຕ້ອງການ', 'ຄວາມຕ້ອງການເຕັກໂນໂລຊີ'],
    my: ['လိုအပ်ချက်', 'နည်းပညာလိုအပ်ချက်'],
    zh: ['需求', '技术需求', '技術需求'],
  },
};

/**
 * Small words that tie refinement pieces together. `restrict` and `origin` words are strong enough to
 * turn a chain inside a need into filters; `weak` (in, for) and `label` (country, sector, results) only
 * come along; `join` (and, or) links two pieces. Written for the project.
 */
type MarkerRole = 'restrict' | 'origin' | 'weak' | 'label' | 'join';
// prettier-ignore
const MARKERS: Record<MarkerRole, Record<Language, string[]>> = {
  restrict: {
    en: ['only', 'just', 'solely', 'exclusively', 'limit to', 'limited to', 'restrict to', 'filter by', 'filter to', 'show only', 'only show', 'only those', 'only the ones'],
    id: ['hanya', 'cuma', 'saja', 'aja', 'khusus', 'tampilkan hanya', 'batasi'],
    ms: ['sahaja', 'hanya', 'cuma', 'khusus', 'tunjukkan hanya', 'hadkan kepada'],
    th: ['เฉพาะ', 'แค่', 'เท่านั้น', 'เพียง', 'เอาแค่', 'ขอแค่', 'ขอเฉพาะ', 'เอาเฉพาะ', 'แสดงเฉพาะ'],
    vi: ['chỉ', 'riêng', 'thôi', 'duy nhất', 'chỉ lấy', 'chỉ xem', 'chỉ hiện'],
    fil: ['lang', 'lamang', 'tanging', 'ipakita lang'],
    km: ['តែ', 'ប៉ុណ្ណោះ', 'តែប៉ុណ្ណោះ', 'សុទ្ធតែ', 'បង្ហាញតែ'],
    lo: ['ສະເພາະ', 'ແຕ່', 'ເທົ່ານັ້ນ', 'ພຽງແຕ່', 'ສະແດງສະເພາະ'],
    my: ['သာ', 'ပဲ', 'သီးသန့်', 'သာလျှင်'],
    zh: ['仅', '只', '仅限', '只限', '只要', '只看', '只显示', '僅', '僅限', '只有', '限'],
  },
  origin: {
    en: ['from', 'based in', 'located in', 'made in', 'headquartered in', 'originating from'],
    id: ['dari', 'asal', 'berbasis di', 'buatan'],
    ms: ['dari', 'daripada', 'berpangkalan di', 'buatan'],
    th: ['จาก', 'ที่มาจาก', 'ผลิตใน'],
    vi: ['từ', 'đến từ', 'có trụ sở tại', 'sản xuất tại'],
    fil: ['mula sa', 'galing sa', 'taga', 'gawa sa'],
    km: ['មកពី', 'ផលិតនៅ', 'ពី'],
    lo: ['ມາຈາກ', 'ຈາກ', 'ຜະລິດໃນ'],
    my: ['ထံမှ', 'မှ', 'က'],
    zh: ['来自', '來自', '产自', '產自', '位于', '位於'],
  },
  weak: {
    en: ['in', 'at', 'for', 'within', 'the', 'of'],
    id: ['di', 'untuk', 'dalam', 'yang'],
    ms: ['di', 'untuk', 'dalam', 'yang'],
    th: ['ใน', 'ที่', 'ของ', 'สำหรับ'],
    vi: ['ở', 'tại', 'của', 'cho', 'trong', 'các', 'những'],
    fil: ['sa', 'para sa', 'ng', 'mga', 'ang'],
    km: ['នៅ', 'ក្នុង', 'សម្រាប់'],
    lo: ['ຢູ່', 'ໃນ', 'ສຳລັບ'],
    my: ['မှာ', 'တွင်', 'ရှိ', 'အတွက်'],
    zh: ['在', '的', '于', '於'],
  },
  label: {
    en: ['country', 'countries', 'sector', 'sectors', 'field', 'industry', 'results', 'result', 'ones', 'listings', 'level', 'show', 'show me', 'please'],
    id: ['negara', 'sektor', 'bidang', 'hasil', 'tampilkan', 'tolong', 'filter', 'industri'],
    ms: ['negara', 'sektor', 'bidang', 'hasil', 'tunjukkan', 'sila', 'penapis', 'industri'],
    th: ['ประเทศ', 'ภาค', 'ด้าน', 'สาขา', 'ผลลัพธ์', 'อุตสาหกรรม', 'แสดง', 'ขอ', 'ครับ', 'ค่ะ'],
    vi: ['nước', 'quốc gia', 'lĩnh vực', 'ngành', 'kết quả', 'hiện', 'xem', 'lọc'],
    fil: ['bansa', 'sektor', 'larangan', 'resulta', 'ipakita', 'pakita'],
    km: ['ប្រទេស', 'វិស័យ', 'លទ្ធផល', 'បង្ហាញ', 'សូម'],
    lo: ['ປະເທດ', 'ຂະແໜງ', 'ຂະແຫນງ', 'ຜົນ', 'ສະແດງ', 'ຂໍ'],
    my: ['နိုင်ငံ', 'ကဏ္ဍ', 'ရလဒ်', 'ပြပါ', 'ပါ'],
    zh: ['国家', '國家', '领域', '領域', '行业', '行業', '结果', '結果', '显示', '顯示', '请', '請', '看'],
  },
  join: {
    en: ['and', 'or', '&', 'and/or'],
    id: ['dan', 'atau', 'serta'],
    ms: ['dan', 'atau', 'serta'],
    th: ['และ', 'หรือ', 'กับ'],
    vi: ['và', 'hoặc', 'hay'],
    fil: ['at', 'o'],
    km: ['និង', 'ឬ'],
    lo: ['ແລະ', 'ຫຼື', 'ຫລື', 'ກັບ'],
    my: ['နှင့်', 'နဲ့', 'ဒါမှမဟုတ်', 'သို့မဟုတ်'],
    zh: ['和', '或', '或者', '与', '與', '及', '、'],
  },
};

type Piece =
  | (Span & { type: 'country'; code: string })
  | (Span & { type: 'trl'; level: number })
  | (Span & { type: 'sector'; sector: Sector })
  | (Span & { type: 'kind'; kind: ListingKind })
  | (Span & { type: 'clear'; target: ClearTarget });

type Item = (Piece & { marker?: undefined }) | (Span & { marker: MarkerRole; type?: undefined });

interface Lexicon {
  clear: PhraseMatcher<ClearTarget>;
  kinds: PhraseMatcher<ListingKind>;
  markers: PhraseMatcher<MarkerRole>;
}

let lexicon: Lexicon | undefined;

/**
 * Single Vietnamese syllables fold into other words ("nhu cầu" is safe, "từ" → "tu" is not): kept as
 * written, except for markers, which only count next to a piece ("chi viet nam thoi" still works).
 */
function entriesOf<T extends string>(table: Record<T, Record<Language, string[]>>, foldMarkers = false): PhraseEntry<T>[] {
  const entries: PhraseEntry<T>[] = [];
  for (const [value, byLanguage] of Object.entries(table) as Array<[T, Record<Language, string[]>]>) {
    for (const [language, list] of Object.entries(byLanguage)) {
      for (const phrase of list) entries.push({ phrase, value, exact: !foldMarkers && language === 'vi' && !phrase.includes(' ') });
    }
  }
  return entries;
}

function words(): Lexicon {
  lexicon ??= {
    clear: new PhraseMatcher(entriesOf(CLEAR_WORDS)),
    kinds: new PhraseMatcher(entriesOf(KIND_WORDS)),
    markers: new PhraseMatcher(entriesOf(MARKERS, true)),
  };
  return lexicon;
}

/** Pieces of refinement in a text, non-overlapping (longest wins), in text order. */
function findPieces(text: string, stages: boolean): Piece[] {
  const pieces: Piece[] = [];
  for (const hit of words().clear.all(text)) pieces.push({ start: hit.start, end: hit.end, type: 'clear', target: hit.value });
  for (const hit of findCountries(text)) pieces.push({ start: hit.start, end: hit.end, type: 'country', code: hit.code });
  for (const hit of findTrlNumbers(text)) pieces.push({ start: hit.start, end: hit.end, type: 'trl', level: hit.level });
  if (stages) for (const hit of findStageWords(text)) if (hit.level >= 6) pieces.push({ start: hit.start, end: hit.end, type: 'trl', level: hit.level });
  for (const hit of findSectorWords(text)) pieces.push({ start: hit.start, end: hit.end, type: 'sector', sector: hit.value });
  for (const hit of words().kinds.all(text)) pieces.push({ start: hit.start, end: hit.end, type: 'kind', kind: hit.value });
  // A clearing phrase wins over the words inside it ("all countries"), a TRL wording over a number.
  const priority = (piece: Piece) => (piece.type === 'clear' ? 2 : piece.type === 'trl' ? 1 : 0);
  const sorted = [...pieces].sort((a, b) => priority(b) - priority(a));
  const taken: Piece[] = [];
  for (const piece of nonOverlapping(sorted.filter((p) => priority(p) === 2))) taken.push(piece);
  for (const group of [1, 0]) {
    const candidates = nonOverlapping(sorted.filter((p) => priority(p) === group));
    for (const piece of candidates) if (!taken.some((t) => piece.start < t.end && t.start < piece.end)) taken.push(piece);
  }
  return taken.sort((a, b) => a.start - b.start);
}

const GAP = /^[\s,;:.!?、，。；：！？·\-–—/|()"'“”‘’]*$/u;

/** Runs of pieces and markers separated only by spaces and punctuation. */
function chains(text: string, items: Item[]): Item[][] {
  const base = [...baseText(text)];
  const sorted = [...items].sort((a, b) => a.start - b.start);
  const result: Item[][] = [];
  let current: Item[] = [];
  for (const item of sorted) {
    const previous = current[current.length - 1];
    if (previous && GAP.test(base.slice(previous.end, item.start).join('')) && item.start >= previous.end) current.push(item);
    else {
      if (current.length) result.push(current);
      current = [item];
    }
  }
  if (current.length) result.push(current);
  // Markers only count next to a piece: trim them from the ends of each chain, and drop piece-less chains.
  return result
    .map((chain) => {
      let start = 0;
      let end = chain.length;
      while (start < end && chain[start]!.marker && (chain[start]!.marker === 'join' || !chain.slice(start).some((i) => !i.marker))) start++;
      while (end > start && chain[end - 1]!.marker && (chain[end - 1]!.marker === 'join' || chain[end - 1]!.marker === 'weak')) end--;
      return chain.slice(start, end);
    })
    .filter((chain) => chain.some((item) => !item.marker));
}

export interface RefinementAnalysis {
  /** The need with the filter words taken out (the whole text when nothing was taken). */
  query: string;
  refinement: Refinement;
  /** True when the message is nothing but a refinement ("only Vietnam", "TRL 6+ please"). */
  refinementOnly: boolean;
}

function buildRefinement(pieces: Piece[], glossarySectors: Sector[]): Refinement {
  const refinement: Refinement = {};
  const countries = [...new Set(pieces.flatMap((p) => (p.type === 'country' ? [p.code] : [])))];
  const trl = pieces.find((p) => p.type === 'trl');
  const kinds = [...new Set(pieces.flatMap((p) => (p.type === 'kind' ? [p.kind] : [])))];
  const sectors = [...new Set([...pieces.flatMap((p) => (p.type === 'sector' ? [p.sector] : [])), ...glossarySectors])];
  const clears = new Set(pieces.flatMap((p) => (p.type === 'clear' ? [p.target] : [])));
  if (countries.length) refinement.countries = countries;
  if (trl && trl.type === 'trl') refinement.minTrl = trl.level;
  if (kinds.length) refinement.kinds = kinds;
  if (sectors.length) refinement.sectors = sectors;
  if (clears.size === 0) return refinement;
  const setsSomething = Object.keys(refinement).length > 0;
  if (clears.has('countries') && !refinement.countries) refinement.countries = [];
  if (clears.has('sectors') && !refinement.sectors) refinement.sectors = [];
  if (clears.has('kinds') && !refinement.kinds) refinement.kinds = [];
  if (clears.has('minTrl') && refinement.minTrl === undefined) refinement.minTrl = 1;
  if (!setsSomething) refinement.clear = true;
  return refinement;
}

/** Markers left dangling at the end of the query once the filters are cut ("solar pumps in", "…, and") go too. */
function trimMarkers(query: string): string {
  let current = query;
  for (let round = 0; round < 4; round++) {
    const chars = [...current];
    const edge = words()
      .markers.find(current)
      .filter((hit) => hit.value !== 'label' && GAP.test(chars.slice(hit.end).join('')));
    if (edge.length === 0) break;
    const next = cut(current, edge);
    if (next === current || !/[\p{L}\p{N}]/u.test(next)) break;
    current = next;
  }
  return current;
}

/**
 * Reads a message as a refinement and/or a need (see the file comment for the rules). `glossary` is
 * used for "solar only"-style refinements, whose sector comes from glossary concepts.
 */
export function analyseRefinement(text: string, language: Language, glossary: Glossary = Glossary.shared()): RefinementAnalysis {
  const trimmed = baseText(text).trim();
  if (!trimmed) return { query: '', refinement: {}, refinementOnly: false };
  const markersAround = (pieces: Piece[]) =>
    words()
      .markers.find(trimmed)
      .filter((hit) => !pieces.some((p) => hit.start < p.end && p.start < hit.end))
      .map((hit) => ({ start: hit.start, end: hit.end, marker: hit.value }) as Item);

  // Stage words ("only market-ready ones") count when the message is nothing but a refinement.
  const withStages = findPieces(trimmed, true);
  const stageMarkers = markersAround(withStages);
  const everything = cut(trimmed, [...withStages, ...stageMarkers]);
  const leftover = contentWords(everything, language);
  if (withStages.length > 0 && leftover.length === 0) {
    return { query: '', refinement: buildRefinement(withStages, []), refinementOnly: true };
  }
  // "solar only", "เฉพาะโดรน": a restriction word and one technology word narrow by its sector.
  if (stageMarkers.some((m) => m.marker === 'restrict') && leftover.length === 1) {
    const top = glossary.sectorsFor(glossary.conceptIds(everything, language))[0];
    if (top) return { query: '', refinement: buildRefinement(withStages, [top.sector]), refinementOnly: true };
  }

  const pieces = findPieces(trimmed, false);
  if (pieces.length === 0) return { query: trimmed, refinement: {}, refinementOnly: false };
  const all: Item[] = [...pieces, ...markersAround(pieces)];

  // A need with filters: take out only the chains that are unmistakably filters.
  const base = [...trimmed];
  const accepted: Item[] = [];
  const statedPieces: Piece[] = [];
  const firstPiece = pieces.reduce((min, p) => Math.min(min, p.start), Number.POSITIVE_INFINITY);
  const firstContent = /[\p{L}\p{N}]/u.test(base.slice(0, firstPiece).join(''));
  for (const chain of chains(trimmed, all)) {
    const chainPieces = chain.filter((item): item is Piece & { marker?: undefined } => !item.marker);
    const strong =
      chainPieces.some((p) => p.type === 'trl' || p.type === 'clear') ||
      chain.some((item) => item.marker === 'restrict' || (item.marker === 'origin' && chainPieces.some((p) => p.type === 'country')));
    const start = chain[0]!.start;
    const end = chain[chain.length - 1]!.end;
    // Only a few characters either side matter ("…, Vietnam" / "…, Vietnam, TRL 6+"); long texts stay linear.
    const before = base.slice(Math.max(0, start - 8), start).join('');
    const after = base.slice(end, end + 8).join('');
    const trailingSegment =
      firstContent && /[,;，；、၊\n]\s*$/u.test(before) && /^[\s,;.!?，。；、၊။]*(?:$|[,;，；、၊\n])/u.test(after);
    if (!strong && !trailingSegment) continue;
    accepted.push(...chain);
    statedPieces.push(...chainPieces);
  }
  const query = accepted.length ? trimMarkers(cut(trimmed, accepted)) : trimmed;
  return { query: query || trimmed, refinement: buildRefinement(statedPieces, []), refinementOnly: false };
}

/**
 * Takes refinement words out of a search query: "water filter for a clinic, only Vietnam, TRL 6+" →
 * `{ query: "water filter for a clinic", refinement: { countries: ["VN"], minTrl: 6 } }`. A message that
 * is only a refinement gives an empty query.
 */
export function splitRefinement(
  text: string,
  language: Language,
  glossary: Glossary = Glossary.shared(),
): { query: string; refinement: Refinement } {
  const { query, refinement } = analyseRefinement(text, language, glossary);
  return { query, refinement };
}

/** True when a refinement has anything in it. */
export function isEmptyRefinement(refinement: Refinement): boolean {
  return Object.keys(refinement).length === 0;
}
