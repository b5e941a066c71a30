import type { Language } from '../domain/languages.js';
import { PhraseMatcher, regexSpans, type PhraseEntry, type Span } from './phrase-matcher.js';

/**
 * Technology readiness levels in chat text, in all ten languages: explicit numbers ("TRL 6", "TKT 6",
 * "TRL ≥ 6", "TRL 6 ขึ้นไป", "TRL六级以上") and development-stage words ("prototype", "pilot", "lab scale").
 *
 * Stage words → TRL (written for the project, following the usual nine-level scale):
 *
 * | stage | TRL | examples |
 * |---|---|---|
 * | idea / concept stage | 2 | "concept stage", "tahap konsep", "概念阶段" |
 * | proof of concept | 3 | "proof of concept", "พิสูจน์แนวคิด", "概念验证" |
 * | lab scale / validated in the lab | 4 | "lab scale", "skala laboratorium", "quy mô phòng thí nghiệm" |
 * | prototype | 5 | "prototype", "purwarupa", "ต้นแบบ", "nguyên mẫu", "样机" |
 * | field tested / field trial | 6 | "field trial", "uji lapangan", "ทดสอบภาคสนาม", "田间试验" |
 * | pilot scale / pilot plant / pilot project | 7 | "pilot plant", "โครงการนำร่อง", "thí điểm", "中试" |
 * | market ready | 8 | "market-ready", "siap dikomersialkan", "พร้อมออกสู่ตลาด" |
 * | commercially available / in commercial use | 9 | "on the market", "đã thương mại hóa", "已上市" |
 *
 * When several stage words appear, the first one mentioned counts, except that a prototype later said to
 * be field tested or piloted takes that later level ("prototype tested in the field" → 6).
 */

type Stage = 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

// prettier-ignore
const STAGE_WORDS: Record<Stage, Record<Language, string[]>> = {
  2: {
    en: ['concept stage', 'idea stage', 'early idea', 'just an idea', 'conceptual stage'],
    id: ['tahap konsep', 'tahap ide', 'masih berupa ide', 'masih ide'],
    ms: ['peringkat konsep', 'peringkat idea', 'masih idea'],
    th: ['ขั้นแนวคิด', 'ระยะแนวคิด', 'ยังเป็นแนวคิด', 'ยังเป็นแค่ไอเดีย'],
    vi: ['giai đoạn ý tưởng', 'giai đoạn khái niệm', 'mới là ý tưởng'],
    fil: ['yugto ng konsepto', 'ideya pa lamang', 'ideya pa lang'],
    km: ['ដំណាក់កាលគំនិត', 'នៅជាគំនិត'],
    lo: ['ຂັ້ນແນວຄິດ', 'ຍັງເປັນແນວຄິດ'],
    my: ['အယူအဆအဆင့်', 'စိတ်ကူးအဆင့်'],
    zh: ['概念阶段', '构想阶段', '概念階段', '構想階段'],
  },
  3: {
    en: ['proof of concept', 'proof-of-concept', 'concept validated', 'concept proven'],
    id: ['bukti konsep', 'pembuktian konsep', 'proof of concept'],
    ms: ['bukti konsep', 'pembuktian konsep'],
    th: ['พิสูจน์แนวคิด', 'การพิสูจน์แนวคิด'],
    vi: ['chứng minh khái niệm', 'bằng chứng khái niệm', 'kiểm chứng khái niệm'],
    fil: ['patunay ng konsepto', 'proof of concept'],
    km: ['ភស្តុតាងនៃគំនិត', 'ការបញ្ជាក់គំនិត'],
    lo: ['ການພິສູດແນວຄິດ', 'ພິສູດແນວຄິດ'],
    my: ['အယူအဆသက်သေပြ', 'သဘောတရားသက်သေပြ'],
    zh: ['概念验证', '原理验证', '概念驗證', '原理驗證'],
  },
  4: {
    en: ['lab scale', 'lab-scale', 'laboratory scale', 'laboratory-scale', 'bench scale', 'bench-scale', 'validated in the lab', 'tested in the lab', 'tested in the laboratory', 'lab tested', 'lab-tested'],
    id: ['skala laboratorium', 'skala lab', 'uji laboratorium', 'diuji di laboratorium'],
    ms: ['skala makmal', 'ujian makmal', 'diuji di makmal'],
    th: ['ระดับห้องปฏิบัติการ', 'ระดับห้องแล็บ', 'ทดสอบในห้องปฏิบัติการ', 'ทดสอบในห้องแล็บ', 'ทดลองในห้องปฏิบัติการ'],
    vi: ['quy mô phòng thí nghiệm', 'thử nghiệm trong phòng thí nghiệm', 'quy mô phòng thử nghiệm'],
    fil: ['antas ng laboratoryo', 'sinubok sa laboratoryo', 'nasubok sa laboratoryo', 'laboratory scale'],
    km: ['កម្រិតមន្ទីរពិសោធន៍', 'សាកល្បងក្នុងមន្ទីរពិសោធន៍', 'ពិសោធក្នុងមន្ទីរពិសោធន៍'],
    lo: ['ລະດັບຫ້ອງທົດລອງ', 'ທົດສອບໃນຫ້ອງທົດລອງ', 'ລະດັບຫ້ອງປະຕິບັດການ'],
    my: ['ဓာတ်ခွဲခန်းအဆင့်', 'ဓာတ်ခွဲခန်းတွင်စမ်းသပ်', 'ဓာတ်ခွဲခန်းစမ်းသပ်'],
    zh: ['实验室规模', '实验室阶段', '实验室验证', '小试', '實驗室規模', '實驗室階段'],
  },
  5: {
    en: ['prototype', 'prototypes', 'prototyped', 'working model'],
    id: ['prototipe', 'purwarupa', 'prototype'],
    ms: ['prototaip', 'prototype'],
    th: ['ต้นแบบ', 'โปรโตไทป์'],
    vi: ['nguyên mẫu', 'mẫu thử nghiệm', 'bản mẫu'],
    fil: ['prototype', 'prototipo'],
    km: ['គំរូដើម', 'គំរូសាកល្បង', 'ប្រូតូតាយ'],
    lo: ['ຕົ້ນແບບ', 'ແບບຕົວຢ່າງທົດລອງ'],
    my: ['ရှေ့ပြေးပုံစံ', 'နမူနာပုံစံ', 'ပရိုတိုတိုက်'],
    zh: ['原型', '样机', '樣機', '原型机', '原型機'],
  },
  6: {
    en: ['field tested', 'field-tested', 'field test', 'field tests', 'field testing', 'field trial', 'field trials', 'tested in the field', 'trialled in the field', 'tested on site', 'on-farm trial', 'on-farm trials', 'relevant environment'],
    id: ['uji lapangan', 'diuji di lapangan', 'uji coba lapangan', 'diujicobakan di lapangan', 'teruji di lapangan'],
    ms: ['ujian lapangan', 'diuji di lapangan', 'percubaan lapangan', 'ujian di ladang'],
    th: ['ทดสอบภาคสนาม', 'ทดลองภาคสนาม', 'ทดสอบในพื้นที่จริง', 'ทดลองในพื้นที่จริง', 'ทดสอบในสนาม'],
    vi: ['thử nghiệm thực địa', 'thử nghiệm ngoài thực địa', 'thử nghiệm tại hiện trường', 'kiểm nghiệm thực địa', 'thử nghiệm thực tế'],
    fil: ['sinubok sa field', 'nasubok sa field', 'nasubok na sa field', 'nasubukan sa field', 'nasubukan na sa field', 'field test', 'field trial', 'sinubukan sa bukid', 'nasubok sa bukid', 'nasubok na sa bukid'],
    km: ['សាកល្បងនៅទីវាល', 'ការសាកល្បងនៅទីវាល', 'ធ្វើតេស្តនៅទីវាល', 'សាកល្បងជាក់ស្តែង'],
    lo: ['ທົດສອບພາກສະໜາມ', 'ທົດລອງພາກສະໜາມ', 'ທົດສອບໃນພາກສະໜາມ', 'ທົດສອບພາກສະຫນາມ'],
    my: ['ကွင်းဆင်းစမ်းသပ်', 'လက်တွေ့ကွင်းဆင်းစမ်းသပ်', 'ကွင်းစမ်းသပ်', 'လယ်ကွင်းစမ်းသပ်'],
    zh: ['现场测试', '现场试验', '田间试验', '实地测试', '田间测试', '現場測試', '田間試驗', '實地測試'],
  },
  7: {
    en: ['pilot scale', 'pilot-scale', 'pilot plant', 'pilot project', 'pilot phase', 'pilot stage', 'piloted', 'piloting', 'pilot line', 'demonstration plant', 'pilot deployment'],
    id: ['skala pilot', 'tahap pilot', 'proyek percontohan', 'pabrik percontohan', 'proyek pilot'],
    ms: ['skala perintis', 'projek perintis', 'loji perintis', 'peringkat perintis', 'projek rintis'],
    th: ['โครงการนำร่อง', 'ระดับนำร่อง', 'ขนาดนำร่อง', 'ระยะนำร่อง', 'โรงงานนำร่อง'],
    vi: ['quy mô thí điểm', 'dự án thí điểm', 'giai đoạn thí điểm', 'triển khai thí điểm', 'sản xuất thử'],
    fil: ['pilot project', 'pilot na proyekto', 'pilot scale', 'pilot plant'],
    km: ['គម្រោងសាកល្បង', 'គម្រោងសាកល្បងបឋម', 'កម្រិតសាកល្បង'],
    lo: ['ໂຄງການທົດລອງ', 'ໂຄງການນຳຮ່ອງ', 'ລະດັບນຳຮ່ອງ'],
    my: ['ရှေ့ပြေးစီမံကိန်း', 'စမ်းသပ်စီမံကိန်း', 'စမ်းသပ်စက်ရုံ'],
    zh: ['中试', '试点', '示范工程', '示范线', '中試', '試點'],
  },
  8: {
    en: ['market ready', 'market-ready', 'ready for market', 'ready for the market', 'ready for commercialisation', 'ready for commercialization', 'ready to commercialise', 'ready to commercialize', 'ready for mass production'],
    id: ['siap pasar', 'siap dipasarkan', 'siap dikomersialkan', 'siap diproduksi massal'],
    ms: ['sedia untuk pasaran', 'sedia dipasarkan', 'sedia dikomersialkan', 'sedia untuk dikomersialkan'],
    th: ['พร้อมเชิงพาณิชย์', 'พร้อมออกสู่ตลาด', 'พร้อมผลิตจำนวนมาก', 'พร้อมจำหน่าย'],
    vi: ['sẵn sàng thương mại hóa', 'sẵn sàng ra thị trường', 'sẵn sàng sản xuất hàng loạt'],
    fil: ['handa na sa merkado', 'handa nang ibenta', 'handa para sa komersyalisasyon'],
    km: ['ត្រៀមដាក់លក់លើទីផ្សារ', 'រួចរាល់សម្រាប់ទីផ្សារ', 'ត្រៀមសម្រាប់ពាណិជ្ជកម្ម'],
    lo: ['ພ້ອມອອກສູ່ຕະຫຼາດ', 'ພ້ອມເຊີງພານິດ', 'ພ້ອມວາງຂາຍ'],
    my: ['ဈေးကွက်တင်ရန်အသင့်', 'စီးပွားဖြစ်ထုတ်လုပ်ရန်အသင့်'],
    zh: ['可商业化', '具备量产条件', '准备上市', '可量产', '可量產'],
  },
  9: {
    en: ['commercially available', 'on the market', 'in commercial use', 'in commercial operation', 'sold commercially', 'already sold', 'in mass production', 'deployed commercially'],
    id: ['sudah dikomersialkan', 'telah dikomersialkan', 'sudah dipasarkan', 'sudah dijual', 'tersedia secara komersial'],
    ms: ['telah dikomersialkan', 'sudah dikomersialkan', 'sudah berada di pasaran', 'dijual secara komersial'],
    th: ['มีจำหน่ายแล้ว', 'วางจำหน่ายแล้ว', 'ใช้งานเชิงพาณิชย์แล้ว', 'ผลิตจำหน่ายแล้ว', 'ขายในตลาดแล้ว'],
    vi: ['đã thương mại hóa', 'đã thương mại hoá', 'đã có trên thị trường', 'đang bán trên thị trường', 'đã bán ra thị trường'],
    fil: ['nabibili na', 'mabibili na sa merkado', 'ibinebenta na', 'komersyal na ginagamit'],
    km: ['មានលក់លើទីផ្សារ', 'ដាក់លក់លើទីផ្សាររួចហើយ', 'ប្រើប្រាស់ជាពាណិជ្ជកម្ម'],
    lo: ['ມີຂາຍໃນຕະຫຼາດແລ້ວ', 'ວາງຂາຍແລ້ວ', 'ນຳໃຊ້ເຊີງພານິດແລ້ວ'],
    my: ['ဈေးကွက်တွင်ရောင်းချနေပြီ', 'စီးပွားဖြစ်ထုတ်လုပ်နေပြီ', 'ဈေးကွက်ထဲရောက်ရှိပြီး'],
    zh: ['已商业化', '已上市', '已量产', '已商業化', '已量產'],
  },
};

let stageMatcher: PhraseMatcher<Stage> | undefined;

function stages(): PhraseMatcher<Stage> {
  if (!stageMatcher) {
    const entries: PhraseEntry<Stage>[] = [];
    for (const [stage, byLanguage] of Object.entries(STAGE_WORDS)) {
      for (const words of Object.values(byLanguage)) for (const phrase of words) entries.push({ phrase, value: Number(stage) as Stage });
    }
    stageMatcher = new PhraseMatcher(entries);
  }
  return stageMatcher;
}

const CHINESE_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The name of the scale in our languages (Indonesian research funding uses TKT). */
const SCALE =
  '(?:trl|tkt|technology readiness level|technology readiness|tingkat kesiapan teknologi|tingkat kesiapterapan teknologi|tahap kesediaan teknologi|ระดับความพร้อมของเทคโนโลยี|ระดับความพร้อมทางเทคโนโลยี|muc do san sang cong nghe|muc san sang cong nghe|antas ng kahandaan ng teknolohiya|កម្រិតត្រៀមខ្លួននៃបច្ចេកវិទ្យា|ລະດັບຄວາມພ້ອມຂອງເຕັກໂນໂລຊີ|နည်းပညာအသင့်ဖြစ်မှုအဆင့်|技术成熟度|技術成熟度|技术就绪水平)';
/** Words for "level" that may sit between the scale and the number. */
const LEVEL = '(?:level|lvl|tahap|peringkat|ระดับ|ขั้น|cap|muc|antas|កម្រិត|ລະດັບ|အဆင့်|等级|等級|级|級|为|為|:|=|-|of)';
/** "at least", "≥" … before the number. */
const AT_LEAST =
  '(?:at least|minimum|min\\.?|from|no less than|not below|>=|≥|=>|minimal|paling tidak|setidaknya|sekurang-kurangnya|sekurangnya|อย่างน้อย|ตั้งแต่|ไม่ต่ำกว่า|toi thieu|it nhat|tu|hindi bababa sa|hindi mababa sa|pinakamababa|យ៉ាងហោចណាស់|ចាប់ពី|ຢ່າງໜ້ອຍ|ຢ່າງຫນ້ອຍ|ຕັ້ງແຕ່|အနည်းဆုံး|至少|不低于|不低於|最低|大于等于|大於等於)';
const ABOVE = '(?:>|above|over|greater than|higher than|lebih dari|di atas|เกิน|มากกว่า|tren|cao hon|higit sa|លើស|ເກີນ|ကျော်|高于|高於|大于|大於)';
/** "or higher", "+", "ขึ้นไป", "以上" … after the number. */
const OR_HIGHER =
  '(?:\\+|or higher|or above|and above|and up|or more|or better|and higher|ke atas|dan ke atas|atau lebih|atau lebih tinggi|atau lebih|ขึ้นไป|หรือสูงกว่า|หรือมากกว่า|tro len|hoac cao hon|pataas|o mas mataas|o higit pa|ឡើងទៅ|ឬខ្ពស់ជាង|ຂຶ້ນໄປ|ຫຼືສູງກວ່າ|ຫລືສູງກວ່າ|နှင့်အထက်|နဲ့အထက်|အထက်|及以上|以上|或更高|或以上)';
const NUMBER = '([1-9]|[一二两三四五六七八九])(?![0-9])';
const S = '\\s*';

/** "TRL 6", "TRL ≥ 6", "at least TRL 6", "TRL 6+", "TRL ตั้งแต่ 6 ขึ้นไป", "TRL六级以上", "TRL > 5" (= 6). */
const TRL_PATTERN = new RegExp(
  `(?:(${AT_LEAST}|${ABOVE})${S})?${SCALE}${S}(?:${LEVEL}${S})*(?:(${AT_LEAST}|${ABOVE})${S})?${NUMBER}${S}(?:${LEVEL}${S})?(?:(${OR_HIGHER}))?`,
  'gu',
);
/** A range "TRL 4-6" / "TRL 4 to 6": the lower end is what is reached for sure. */
const ABOVE_ONLY = new RegExp(`^${ABOVE}$`, 'u');

export interface TrlMention extends Span {
  level: number;
  /** True when the wording says "or higher" / "at least" (always read as a minimum in refinements). */
  minimum: boolean;
}

function numberValue(raw: string): number {
  return CHINESE_NUMERALS[raw] ?? Number(raw);
}

/** Explicit TRL numbers in a text, with the span of the whole wording ("at least TRL 6 or higher"). */
export function findTrlNumbers(text: string): TrlMention[] {
  const mentions: TrlMention[] = [];
  for (const span of regexSpans(text, new RegExp(TRL_PATTERN.source, 'gu'), true)) {
    const [, before, between, number, after] = span.match;
    let level = numberValue(number ?? '');
    const comparator = (between ?? before ?? '').trim();
    if (comparator && ABOVE_ONLY.test(comparator) && !/^(?:>=|≥|=>)$/u.test(comparator)) level = Math.min(9, level + 1);
    if (level < 1 || level > 9) continue;
    mentions.push({ start: span.start, end: span.end, level, minimum: Boolean(before || between || after) });
  }
  return mentions;
}

export interface StageMention extends Span {
  level: number;
}

export function findStageWords(text: string): StageMention[] {
  return stages()
    .find(text)
    .map((hit) => ({ start: hit.start, end: hit.end, level: hit.value }));
}

/**
 * The TRL a description supports: an explicit number first, else the stage words (see the table above).
 * Undefined when the text says nothing about maturity.
 */
export function trlFromText(text: string): number | undefined {
  const numbers = findTrlNumbers(text);
  if (numbers.length > 0) return numbers[0]!.level;
  const hits = findStageWords(text);
  const first = hits[0];
  if (!first) return undefined;
  if (first.level === 5) {
    const upgrade = hits.find((hit) => hit.start > first.start && (hit.level === 6 || hit.level === 7));
    if (upgrade) return upgrade.level;
  }
  if (first.level === 4) {
    // "a lab-scale prototype" is still lab scale; "lab tested, now field tested" moved on.
    const later = hits.find((hit) => hit.start > first.start && (hit.level === 6 || hit.level === 7));
    if (later) return later.level;
  }
  return first.level;
}
