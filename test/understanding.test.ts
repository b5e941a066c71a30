import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../core/domain/languages.js';
import { Glossary } from '../core/glossary/glossary.js';
import { COMMAND_WORDS, parseCommand } from '../core/understanding/commands.js';
import { countryCodes } from '../core/understanding/countries.js';
import { cleanText } from '../core/understanding/fields.js';
import { PhraseClassifier, INTENT_NAMES, grams } from '../core/understanding/phrases.js';
import { analyseRefinement, splitRefinement } from '../core/understanding/refinements.js';
import { RuleUnderstander, isVague } from '../core/understanding/rules.js';
import { trlFromText } from '../core/understanding/trl.js';
import { COMMANDS, type Command, type Refinement, type UnderstandingContext } from '../core/understanding/types.js';

/*
 * Every non-English sentence in this file was written for the project, to read the way a researcher or a
 * founder in that country would type it in a chat.
 */

const glossary = Glossary.shared();
const rules = new RuleUnderstander(glossary);
const idle = (language: Language): UnderstandingContext => ({ language, hasResults: false });
const withResults = (language: Language): UnderstandingContext => ({ language, hasResults: true });
const confirming = (language: Language): UnderstandingContext => ({ language, hasResults: false, awaiting: 'confirm' });

describe('intent phrase data', () => {
  it('has every intent in every language, and each file says it was written for the project', () => {
    const classifier = PhraseClassifier.shared();
    for (const language of LANGUAGES) {
      for (const intent of INTENT_NAMES) expect(classifier.examplesOf(intent, language).length, `${language} ${intent}`).toBeGreaterThan(0);
    }
  });

  it('takes character bigrams for Chinese and trigrams elsewhere, ignoring spaces inside unspaced scripts', () => {
    expect([...grams('帮助')]).toEqual(['帮助']);
    expect(grams('ok')).toEqual(new Set([' ok', 'ok ']));
    expect(grams('ရေစစ်စက် လိုအပ်')).toEqual(grams('ရေစစ်စက်လိုအပ်'));
  });
});

describe('commands', () => {
  it.each(COMMANDS.flatMap((command) => LANGUAGES.map((language) => [command, language] as const)))(
    '%s: every %s word is that command, typed alone',
    (command, language) => {
      for (const word of COMMAND_WORDS[command][language]) {
        expect(parseCommand(word)?.command, `${language} "${word}"`).toBe(command);
        expect(parseCommand(`${word}!`)?.command, `${language} "${word}!"`).toBe(command);
      }
    },
  );

  it.each<[string, Command, string | undefined]>([
    ['/find solar pumps', 'find', 'solar pumps'],
    ['/find@JembatanBot solar pumps', 'find', 'solar pumps'],
    ['/start', 'help', undefined],
    ['/HELP', 'help', undefined],
    ['/bantuan', 'help', undefined],
    ['/cari pompa air tenaga surya', 'find', 'pompa air tenaga surya'],
    ['find solar pumps', 'find', 'solar pumps'],
    ['search for rice dryers', 'find', 'rice dryers'],
    ['cari pompa air tenaga surya', 'find', 'pompa air tenaga surya'],
    ['carikan pengering padi', 'find', 'pengering padi'],
    ['ค้นหาเครื่องกรองน้ำ', 'find', 'เครื่องกรองน้ำ'],
    ['ค้นหา เครื่องอบแห้ง', 'find', 'เครื่องอบแห้ง'],
    ['tìm máy sấy lúa', 'find', 'máy sấy lúa'],
    ['maghanap ng solar dryer', 'find', 'ng solar dryer'],
    ['ស្វែងរក ម៉ាស៊ីនចម្រោះទឹក', 'find', 'ម៉ាស៊ីនចម្រោះទឹក'],
    ['ຄົ້ນຫາ ເຄື່ອງກອງນ້ຳ', 'find', 'ເຄື່ອງກອງນ້ຳ'],
    ['ရှာဖွေ ရေစစ်စက်', 'find', 'ရေစစ်စက်'],
    ['查找 太阳能水泵', 'find', '太阳能水泵'],
    ['language th', 'language', 'th'],
    ['bahasa melayu', 'language', 'ms'],
    ['ภาษาไทย', 'language', 'th'],
    ['ភាសាខ្មែរ', 'language', 'km'],
    ['English please', 'language', 'en'],
    ['in Thai', 'language', 'th'],
    ['tiếng Việt', 'language', 'vi'],
    ['中文', 'language', 'zh'],
    ['ພາສາລາວ', 'language', 'lo'],
    ['offer: solar dryer for cassava', 'offer', 'solar dryer for cassava'],
    ['need: cold storage for fish', 'need', 'cold storage for fish'],
    ['help please', 'help', undefined],
    ['ช่วยเหลือครับ', 'help', undefined],
    ['trợ giúp ạ', 'help', undefined],
    ['tulong po', 'help', undefined],
    ['帮助一下', 'help', undefined],
  ])('%s → %s (%s)', (text, command, rest) => {
    const parsed = parseCommand(text);
    expect(parsed?.command).toBe(command);
    expect(parsed?.rest).toBe(rest);
  });

  it.each([
    'need a solar pump for my farm',
    'help farmers dry rice faster',
    'my lab developed a solar dryer',
    'หากมีเครื่องกรองน้ำราคาถูก',
    'bahasa pemrograman untuk robot pertanian',
    '找到了合适的技术',
    '/unknowncommand',
    'finding a partner',
  ])('"%s" is not a command', (text) => {
    expect(parseCommand(text)).toBeUndefined();
  });

  it('understand() reports commands with confidence 1 and the rest', async () => {
    const result = await rules.understand('/find dissolved oxygen sensor', idle('en'));
    expect(result).toMatchObject({ intent: { kind: 'command', command: 'find', rest: 'dissolved oxygen sensor' }, confidence: 1, via: 'rules' });
  });
});

/** A technology need in each language (the Khmer one: solar-powered water purification). */
const NEEDS: Record<Language, string> = {
  en: 'We need a low-cost solar dryer for cassava chips',
  id: 'Kami butuh alat pengering tenaga surya untuk keripik singkong',
  ms: 'Kami memerlukan pengering solar untuk kerepek ubi kayu',
  th: 'ต้องการเครื่องอบแห้งพลังงานแสงอาทิตย์สำหรับมันสำปะหลัง',
  vi: 'Chúng tôi cần máy sấy năng lượng mặt trời cho sắn lát',
  fil: 'Kailangan namin ng solar dryer para sa kamoteng kahoy',
  km: 'ខ្ញុំត្រូវការប្រព័ន្ធចម្រោះទឹកដោយថាមពលព្រះអាទិត្យសម្រាប់ភូមិ',
  lo: 'ພວກເຮົາຕ້ອງການເຄື່ອງກອງນ້ຳພະລັງງານແສງຕາເວັນສຳລັບບ້ານ',
  my: 'ကျွန်တော်တို့ရွာအတွက် နေရောင်ခြည်စွမ်းအင်သုံး ရေစစ်စက် လိုအပ်ပါတယ်',
  zh: '我们需要用于木薯片的太阳能干燥机',
};

/** A researcher describing their own work. */
const OFFERS: Record<Language, string> = {
  en: 'Our lab developed a biodegradable coating that keeps mangoes fresh for three weeks.',
  id: 'Lab kami mengembangkan pelapis alami yang membuat mangga tetap segar selama tiga minggu.',
  ms: 'Makmal kami telah membangunkan salutan mesra alam yang mengekalkan kesegaran mangga selama tiga minggu.',
  th: 'ห้องแล็บของเราพัฒนาสารเคลือบผิวที่ย่อยสลายได้ ช่วยให้มะม่วงสดได้นานสามสัปดาห์',
  vi: 'Phòng thí nghiệm của chúng tôi đã phát triển lớp phủ sinh học giúp xoài tươi lâu ba tuần.',
  fil: 'Nakabuo ang aming lab ng biodegradable na coating na nagpapanatiling sariwa ang mangga nang tatlong linggo.',
  km: 'មន្ទីរពិសោធន៍របស់យើងបានបង្កើតស្រទាប់ការពារដែលរក្សាស្វាយឱ្យស្រស់បានបីសប្តាហ៍',
  lo: 'ຫ້ອງທົດລອງຂອງພວກເຮົາໄດ້ພັດທະນາສານເຄືອບທີ່ຊ່ວຍໃຫ້ໝາກມ່ວງສົດໄດ້ສາມອາທິດ',
  my: 'ကျွန်တော်တို့ ဓာတ်ခွဲခန်းက သရက်သီးကို သုံးပတ်ကြာ လတ်ဆတ်စေတဲ့ အလွှာကို တီထွင်ခဲ့တယ်',
  zh: '我们实验室开发了一种可降解涂层，能让芒果保鲜三周。',
};

/** A founder who wants to post a need and find a partner. */
const NEED_POSTS: Record<Language, string> = {
  en: 'We are looking for a partner who can build solar-powered cold storage for our fish market.',
  id: 'Kami mencari mitra yang bisa membangun gudang pendingin tenaga surya untuk pasar ikan kami.',
  ms: 'Kami sedang mencari rakan kongsi yang boleh membina bilik sejuk berkuasa solar untuk pasar ikan kami.',
  th: 'เรากำลังหาพันธมิตรที่สามารถสร้างห้องเย็นพลังงานแสงอาทิตย์สำหรับตลาดปลาของเรา',
  vi: 'Chúng tôi đang tìm đối tác có thể xây dựng kho lạnh chạy bằng năng lượng mặt trời cho chợ cá.',
  fil: 'Naghahanap kami ng partner na makakagawa ng cold storage na pinapagana ng solar para sa aming palengke ng isda.',
  km: 'យើងកំពុងស្វែងរកដៃគូដែលអាចសាងសង់ឃ្លាំងត្រជាក់ប្រើថាមពលព្រះអាទិត្យសម្រាប់ផ្សារត្រីរបស់យើង',
  lo: 'ພວກເຮົາກຳລັງຊອກຫາຄູ່ຮ່ວມງານທີ່ສາມາດສ້າງຫ້ອງເຢັນພະລັງງານແສງຕາເວັນສຳລັບຕະຫຼາດປາ',
  my: 'ကျွန်တော်တို့ ငါးဈေးအတွက် နေရောင်ခြည်သုံး အအေးခန်း တည်ဆောက်ပေးနိုင်မယ့် မိတ်ဖက် ရှာနေပါတယ်',
  zh: '我们在找合作伙伴，能为我们的鱼市场建造太阳能冷库。',
};

describe('searches, offers and needs in ten languages', () => {
  it.each(LANGUAGES)('%s: a technology need is a search for the whole message', async (language) => {
    const result = await rules.understand(NEEDS[language], idle(language));
    expect(result.intent).toEqual({ kind: 'search', query: NEEDS[language] });
    expect(result.confidence).toBeGreaterThanOrEqual(0.6);
    // Malay is told from Indonesian only by marker words (core/text/detect-language.ts): a Malay user's
    // message read as Indonesian keeps the user's language.
    if (language === 'ms') expect([undefined, 'ms']).toContain(result.language);
    else expect(result.language).toBe(language);
  });

  it('Khmer: a need about solar water purification is a search, in Khmer, with concepts', async () => {
    const text = 'ខ្ញុំត្រូវការប្រព័ន្ធចម្រោះទឹកដោយថាមពលព្រះអាទិត្យសម្រាប់ភូមិ';
    const result = await rules.understand(text, idle('en'));
    expect(result.intent).toEqual({ kind: 'search', query: text });
    expect(result.language).toBe('km');
    expect(glossary.conceptIds(text, 'km')).toEqual(expect.arrayContaining(['solar-panel', 'water-purification']));
  });

  it.each(LANGUAGES)('%s: a researcher describing their work is describe_offer', async (language) => {
    const result = await rules.understand(OFFERS[language], idle(language));
    expect(result.intent).toEqual({ kind: 'describe_offer', text: OFFERS[language] });
  });

  it.each(LANGUAGES)('%s: a founder who wants a partner is describe_need', async (language) => {
    const result = await rules.understand(NEED_POSTS[language], idle(language));
    expect(result.intent).toEqual({ kind: 'describe_need', text: NEED_POSTS[language] });
  });

  it.each<[string, Language, string]>([
    ['I want to post a need', 'en', 'describe_need'],
    ['kami ingin memasang kebutuhan teknologi', 'id', 'describe_need'],
    ['I am working on low-cost soil moisture sensors', 'en', 'describe_offer'],
    ['chúng tôi có công nghệ xử lý nước thải chăn nuôi', 'vi', 'describe_offer'],
    ['我们研发了一种水稻秸秆还田机', 'zh', 'describe_offer'],
  ])('%s → %s', async (text, language, kind) => {
    expect((await rules.understand(text, idle(language))).intent.kind).toBe(kind);
  });
});

describe('answers in a confirm context', () => {
  const YES: Record<Language, string[]> = {
    en: ['ok', 'yes please', 'Yes!', 'sure', '👍'],
    id: ['ya', 'iya dong', 'oke'],
    ms: ['ya', 'boleh', 'ya betul'],
    th: ['ใช่', 'ใช่ครับ', 'ตกลงค่ะ', 'ครับ'],
    vi: ['có', 'vâng ạ', 'đồng ý', 'được'],
    fil: ['oo', 'opo', 'sige po', 'oo po'],
    km: ['បាទ', 'ចាស', 'យល់ព្រម'],
    lo: ['ແມ່ນ', 'ໂອເຄ', 'ຕົກລົງ'],
    my: ['ဟုတ်ကဲ့', 'ဟုတ်ကဲ့ပါ', 'ရပါတယ်'],
    zh: ['是', '是的', '好的', '可以'],
  };
  const NO: Record<Language, string[]> = {
    en: ['no', 'no thanks', 'nope'],
    id: ['tidak', 'nggak', 'bukan'],
    ms: ['tidak', 'tak', 'tak nak'],
    th: ['ไม่', 'ไม่ครับ', 'ไม่ใช่ค่ะ'],
    vi: ['không', 'không ạ', 'không phải'],
    fil: ['hindi', 'hindi po', 'ayoko'],
    km: ['ទេ', 'អត់ទេ', 'មិនមែនទេ'],
    lo: ['ບໍ່', 'ບໍ່ແມ່ນ', 'ບໍ່ເອົາ'],
    my: ['မဟုတ်ဘူး', 'မဟုတ်ပါဘူး', 'ဟင့်အင်း'],
    zh: ['不', '不是', '不要'],
  };
  const CANCEL: Record<Language, string> = {
    en: 'never mind',
    id: 'batalkan',
    ms: 'batal',
    th: 'ยกเลิก',
    vi: 'hủy',
    fil: 'kanselahin',
    km: 'បោះបង់',
    lo: 'ຍົກເລີກ',
    my: 'ပယ်ဖျက်ပါ',
    zh: '取消',
  };

  it.each(LANGUAGES)('%s: yes', async (language) => {
    for (const text of YES[language]) expect((await rules.understand(text, confirming(language))).intent, text).toEqual({ kind: 'yes' });
  });

  it.each(LANGUAGES)('%s: no', async (language) => {
    for (const text of NO[language]) expect((await rules.understand(text, confirming(language))).intent, text).toEqual({ kind: 'no' });
  });

  it.each(LANGUAGES)('%s: cancel', async (language) => {
    expect((await rules.understand(CANCEL[language], confirming(language))).intent).toEqual({ kind: 'cancel' });
  });

  it('reads a yes in any language whatever the user language, and leaves the language unset for short words', async () => {
    const result = await rules.understand('oo', confirming('en'));
    expect(result.intent).toEqual({ kind: 'yes' });
    expect(result.language).toBeUndefined();
    expect((await rules.understand('ແມ່ນ', confirming('th'))).intent).toEqual({ kind: 'yes' });
  });

  it('does not read "yes" as an answer when nothing was asked', async () => {
    expect((await rules.understand('yes', idle('en'))).intent.kind).not.toBe('yes');
    expect((await rules.understand('ใช่', idle('th'))).intent.kind).not.toBe('yes');
  });

  it('a long message starting with "ok" is not a yes', async () => {
    const result = await rules.understand('ok but we also need a solar pump for irrigation in the dry season', confirming('en'));
    expect(result.intent.kind).toBe('search');
  });
});

describe('paging and refining results', () => {
  const MORE: Record<Language, string> = {
    en: 'more please',
    id: 'lagi dong',
    ms: 'seterusnya',
    th: 'ขออีก',
    vi: 'xem thêm',
    fil: 'susunod',
    km: 'មើលបន្ថែម',
    lo: 'ເພີ່ມເຕີມ',
    my: 'ထပ်ပြပါ',
    zh: '更多',
  };

  it.each(LANGUAGES)('%s: more', async (language) => {
    expect((await rules.understand(MORE[language], withResults(language))).intent).toEqual({ kind: 'more' });
  });

  it('"more" with nothing to page is not more', async () => {
    expect((await rules.understand('more', idle('en'))).intent.kind).not.toBe('more');
  });

  type Case = [string, Language, Refinement];
  const COUNTRY: Case[] = [
    ['only Vietnam', 'en', { countries: ['VN'] }],
    ['hanya dari Malaysia dan Thailand', 'id', { countries: ['MY', 'TH'] }],
    ['Malaysia sahaja', 'ms', { countries: ['MY'] }],
    ['เฉพาะเวียดนาม', 'th', { countries: ['VN'] }],
    ['chỉ Việt Nam', 'vi', { countries: ['VN'] }],
    ['sa Pilipinas lang', 'fil', { countries: ['PH'] }],
    ['តែកម្ពុជាប៉ុណ្ណោះ', 'km', { countries: ['KH'] }],
    ['ສະເພາະລາວ', 'lo', { countries: ['LA'] }],
    ['မြန်မာနိုင်ငံကသာ', 'my', { countries: ['MM'] }],
    ['仅限越南', 'zh', { countries: ['VN'] }],
    ['in Thailand', 'en', { countries: ['TH'] }],
    ['chi viet nam thoi', 'vi', { countries: ['VN'] }],
    ['只看泰國', 'zh', { countries: ['TH'] }],
    ['only VN', 'en', { countries: ['VN'] }],
  ];
  const TRL: Case[] = [
    ['TRL 6 or higher', 'en', { minTrl: 6 }],
    ['at least TRL 7', 'en', { minTrl: 7 }],
    ['TRL ≥ 5', 'en', { minTrl: 5 }],
    ['TRL 6+', 'en', { minTrl: 6 }],
    ['TRL 6 ke atas', 'id', { minTrl: 6 }],
    ['TRL sekurang-kurangnya 7', 'ms', { minTrl: 7 }],
    ['TRL 6 ขึ้นไป', 'th', { minTrl: 6 }],
    ['TRL từ 5 trở lên', 'vi', { minTrl: 5 }],
    ['TRL 6 pataas', 'fil', { minTrl: 6 }],
    ['TRL ៦ ឡើងទៅ', 'km', { minTrl: 6 }],
    ['TRL 7 ຂຶ້ນໄປ', 'lo', { minTrl: 7 }],
    ['TRL ၆ နှင့်အထက်', 'my', { minTrl: 6 }],
    ['TRL六级以上', 'zh', { minTrl: 6 }],
    ['至少TRL 8', 'zh', { minTrl: 8 }],
  ];
  const KIND: Case[] = [
    ['only expertise', 'en', { kinds: ['expertise'] }],
    ['only offers', 'en', { kinds: ['offer'] }],
    ['hanya penawaran', 'id', { kinds: ['offer'] }],
    ['pakar sahaja', 'ms', { kinds: ['expertise'] }],
    ['เฉพาะผู้เชี่ยวชาญ', 'th', { kinds: ['expertise'] }],
    ['chỉ chuyên gia', 'vi', { kinds: ['expertise'] }],
    ['mga eksperto lang', 'fil', { kinds: ['expertise'] }],
    ['តែអ្នកជំនាញ', 'km', { kinds: ['expertise'] }],
    ['ສະເພາະຜູ້ຊ່ຽວຊານ', 'lo', { kinds: ['expertise'] }],
    ['ကျွမ်းကျင်သူသာ', 'my', { kinds: ['expertise'] }],
    ['只看专家', 'zh', { kinds: ['expertise'] }],
    ['needs only', 'en', { kinds: ['need'] }],
  ];
  const SECTOR: Case[] = [
    ['software only', 'en', { sectors: ['ict'] }],
    ['hanya pertanian', 'id', { sectors: ['agrifood'] }],
    ['pertanian sahaja', 'ms', { sectors: ['agrifood'] }],
    ['เฉพาะด้านการแพทย์', 'th', { sectors: ['health'] }],
    ['chỉ lĩnh vực nông nghiệp', 'vi', { sectors: ['agrifood'] }],
    ['agrikultura lang', 'fil', { sectors: ['agrifood'] }],
    ['តែវិស័យកសិកម្ម', 'km', { sectors: ['agrifood'] }],
    ['ສະເພາະກະສິກຳ', 'lo', { sectors: ['agrifood'] }],
    ['စိုက်ပျိုးရေးကဏ္ဍသာ', 'my', { sectors: ['agrifood'] }],
    ['只看农业', 'zh', { sectors: ['agrifood'] }],
    ['drones only', 'en', { sectors: ['robotics'] }],
    ['solar only', 'en', { sectors: ['energy'] }],
  ];
  const CLEAR: Case[] = [
    ['any country', 'en', { clear: true, countries: [] }],
    ['remove filters', 'en', { clear: true }],
    ['semua negara', 'id', { clear: true, countries: [] }],
    ['semua negara', 'ms', { clear: true, countries: [] }],
    ['ทุกประเทศ', 'th', { clear: true, countries: [] }],
    ['tất cả các nước', 'vi', { clear: true, countries: [] }],
    ['kahit anong bansa', 'fil', { clear: true, countries: [] }],
    ['គ្រប់ប្រទេស', 'km', { clear: true, countries: [] }],
    ['ທຸກປະເທດ', 'lo', { clear: true, countries: [] }],
    ['နိုင်ငံအားလုံး', 'my', { clear: true, countries: [] }],
    ['不限国家', 'zh', { clear: true, countries: [] }],
    ['ล้างตัวกรอง', 'th', { clear: true }],
    ['any TRL', 'en', { clear: true, minTrl: 1 }],
    ['any country, TRL 6+', 'en', { countries: [], minTrl: 6 }],
  ];

  it.each([...COUNTRY, ...TRL, ...KIND, ...SECTOR, ...CLEAR])('"%s" (%s) refines to %j', async (text, language, refinement) => {
    const result = await rules.understand(text, withResults(language));
    expect(result.intent).toEqual({ kind: 'refine', refinement });
    expect(splitRefinement(text, language)).toEqual({ query: '', refinement });
  });

  it('a need plus filters is a search for the whole message, the engine splits the filters off', async () => {
    const text = 'solar dryer only in Vietnam';
    const result = await rules.understand(text, withResults('en'));
    expect(result.intent).toEqual({ kind: 'search', query: text });
    expect(splitRefinement(text, 'en')).toEqual({ query: 'solar dryer', refinement: { countries: ['VN'] } });
  });

  it('a refinement with no results to refine is still read as one', async () => {
    expect((await rules.understand('only Vietnam', idle('en'))).intent).toEqual({ kind: 'refine', refinement: { countries: ['VN'] } });
  });

  const MIXED: Array<[string, Language, string, Refinement]> = [
    ['water filter for a clinic, only Vietnam, TRL 6+', 'en', 'water filter for a clinic', { countries: ['VN'], minTrl: 6 }],
    ['alat penjernih air untuk klinik, hanya Vietnam, TRL 6 ke atas', 'id', 'alat penjernih air untuk klinik', { countries: ['VN'], minTrl: 6 }],
    ['penapis air untuk klinik, Vietnam sahaja, TRL 6 ke atas', 'ms', 'penapis air untuk klinik', { countries: ['VN'], minTrl: 6 }],
    ['เครื่องกรองน้ำสำหรับคลินิก เฉพาะเวียดนาม TRL 6 ขึ้นไป', 'th', 'เครื่องกรองน้ำสำหรับคลินิก', { countries: ['VN'], minTrl: 6 }],
    ['máy lọc nước cho phòng khám, chỉ Việt Nam, TRL 6 trở lên', 'vi', 'máy lọc nước cho phòng khám', { countries: ['VN'], minTrl: 6 }],
    ['water filter para sa klinika, Vietnam lang, TRL 6 pataas', 'fil', 'water filter para sa klinika', { countries: ['VN'], minTrl: 6 }],
    ['ម៉ាស៊ីនចម្រោះទឹកសម្រាប់គ្លីនិក តែវៀតណាម TRL 6 ឡើងទៅ', 'km', 'ម៉ាស៊ីនចម្រោះទឹកសម្រាប់គ្លីនិក', { countries: ['VN'], minTrl: 6 }],
    ['ເຄື່ອງກອງນ້ຳສຳລັບຄລີນິກ ສະເພາະຫວຽດນາມ TRL 6 ຂຶ້ນໄປ', 'lo', 'ເຄື່ອງກອງນ້ຳສຳລັບຄລີນິກ', { countries: ['VN'], minTrl: 6 }],
    ['ဆေးခန်းအတွက် ရေစစ်စက်၊ ဗီယက်နမ်သာ၊ TRL 6 နှင့်အထက်', 'my', 'ဆေးခန်းအတွက် ရေစစ်စက်', { countries: ['VN'], minTrl: 6 }],
    ['诊所用的净水器，仅限越南，TRL 6以上', 'zh', '诊所用的净水器', { countries: ['VN'], minTrl: 6 }],
    ['solar dryers from Thailand or Laos', 'en', 'solar dryers', { countries: ['TH', 'LA'] }],
    ['rice straw baler, Philippines', 'en', 'rice straw baler', { countries: ['PH'] }],
  ];

  it.each(MIXED)('splitRefinement("%s", %s) → query "%s" and %j', async (text, language, query, refinement) => {
    expect(splitRefinement(text, language)).toEqual({ query, refinement });
    expect(rules.splitRefinement(text, language)).toEqual({ query, refinement });
    expect((await rules.understand(text, withResults(language))).intent).toEqual({ kind: 'search', query: text });
  });

  it.each<[string, Language]>([
    ['solar dryer in Vietnam', 'en'],
    ['dryers for agriculture', 'en'],
    ['we want to improve rice farming in Thailand', 'en'],
    ['ต้องการเครื่องสีข้าวสำหรับโรงสีในไทย', 'th'],
  ])('keeps words that describe the need itself: "%s"', (text, language) => {
    expect(splitRefinement(text, language)).toEqual({ query: text, refinement: {} });
    expect(analyseRefinement(text, language).refinementOnly).toBe(false);
  });
});

describe('country names', () => {
  it.each<[string, string[]]>([
    ['based in Kenya and Germany', ['KE', 'DE']],
    ['Mỹ phẩm thiên nhiên từ Mỹ', ['US']],
    ['cập nhật công nghệ đúc', []],
    ['bahasa Inggris', []],
    ['ภาษาไทย', []],
    ['help us please', []],
    ['这个方案中非常重要', []],
    ['ລາວເຮັດວຽກຢູ່ປະເທດລາວ', ['LA']],
    ['ကမ္ဘောဒီးယားနှင့် ထိုင်း', ['KH', 'TH']],
    ['Timor-Leste, Brunei Darussalam and the Philippines', ['TL', 'BN', 'PH']],
    ['中國、臺灣、香港', ['CN', 'TW', 'HK']],
  ])('%s → %j', (text, codes) => {
    expect(countryCodes(text)).toEqual(codes);
  });
});

describe('extracting listing fields', () => {
  /** One offer per language: prototype tested in the field (TRL 6), patent pending, licence or joint venture, and where the team is. */
  const DESCRIPTIONS: Record<Language, [string, string]> = {
    en: ['Solar-powered water purifier for rural clinics. We are based in Thailand. The prototype was tested in the field in two villages. Patent pending. Open to licensing or a joint venture.', 'TH'],
    id: ['Alat penjernih air tenaga surya untuk puskesmas desa. Kami berbasis di Indonesia. Prototipe sudah diuji di lapangan di dua desa. Paten sedang diproses. Terbuka untuk lisensi atau usaha patungan.', 'ID'],
    ms: ['Penapis air berkuasa solar untuk klinik luar bandar. Kami berpangkalan di Malaysia. Prototaip telah diuji di lapangan di dua buah kampung. Permohonan paten telah dibuat. Terbuka kepada pelesenan atau usaha sama.', 'MY'],
    th: ['เครื่องกรองน้ำพลังงานแสงอาทิตย์สำหรับคลินิกในชนบท บริษัทตั้งอยู่ที่ประเทศไทย ต้นแบบผ่านการทดสอบภาคสนามในสองหมู่บ้านแล้ว อยู่ระหว่างยื่นขอสิทธิบัตร สนใจการอนุญาตให้ใช้สิทธิหรือกิจการร่วมค้า', 'TH'],
    vi: ['Máy lọc nước dùng năng lượng mặt trời cho trạm y tế nông thôn. Công ty có trụ sở tại Việt Nam. Nguyên mẫu đã được thử nghiệm thực địa ở hai xã. Đang đăng ký sáng chế. Sẵn sàng cấp phép hoặc liên doanh.', 'VN'],
    fil: ['Water purifier na pinapagana ng solar para sa mga klinika sa probinsya. Nakabase kami sa Pilipinas. Ang prototype ay nasubok na sa field sa dalawang barangay. Nag-apply na kami ng patent. Bukas kami sa lisensya o joint venture.', 'PH'],
    km: ['ម៉ាស៊ីនចម្រោះទឹកប្រើថាមពលព្រះអាទិត្យសម្រាប់មណ្ឌលសុខភាពជនបទ។ ក្រុមហ៊ុនយើងមានទីតាំងនៅកម្ពុជា។ គំរូដើមត្រូវបានសាកល្បងនៅទីវាលក្នុងភូមិពីរ។ កំពុងដាក់ពាក្យស្នើសុំប៉ាតង់។ យើងចង់ផ្តល់អាជ្ញាប័ណ្ណ ឬបណ្តាក់ទុនរួម។', 'KH'],
    lo: ['ເຄື່ອງກອງນ້ຳພະລັງງານແສງຕາເວັນສຳລັບສຸກສາລາໃນຊົນນະບົດ. ບໍລິສັດຕັ້ງຢູ່ປະເທດລາວ. ຕົ້ນແບບໄດ້ທົດສອບພາກສະໜາມໃນສອງບ້ານແລ້ວ. ກຳລັງຍື່ນຂໍສິດທິບັດ. ພ້ອມໃຫ້ໃບອະນຸຍາດ ຫຼື ການຮ່ວມທຶນ.', 'LA'],
    my: ['ကျေးလက်ဆေးပေးခန်းများအတွက် နေရောင်ခြည်စွမ်းအင်သုံး ရေစစ်စက်။ ကျွန်တော်တို့ကုမ္ပဏီသည် မြန်မာနိုင်ငံ အခြေစိုက် ဖြစ်သည်။ ရှေ့ပြေးပုံစံကို ရွာနှစ်ရွာတွင် ကွင်းဆင်းစမ်းသပ်ပြီးဖြစ်သည်။ တီထွင်မှုမူပိုင်ခွင့် လျှောက်ထားဆဲဖြစ်သည်။ လိုင်စင် သို့မဟုတ် ဖက်စပ်လုပ်ငန်းအတွက် ဆွေးနွေးလိုပါသည်။', 'MM'],
    zh: ['用于农村诊所的太阳能净水器。公司位于中国。样机已在两个村庄完成现场测试。专利申请中。欢迎技术许可或合资合作。', 'CN'],
  };

  it.each(LANGUAGES)('%s: TRL, IP status, partnership, country, sectors, title and summary', async (language) => {
    const [text, country] = DESCRIPTIONS[language];
    const fields = await rules.extractFields(text, 'offer', language);
    expect(fields.kind).toBe('offer');
    expect(fields.trl).toBe(6);
    expect(fields.ipStatus).toBe('patent_pending');
    expect(fields.partnership).toEqual(['licence', 'joint_venture']);
    expect(fields.country).toBe(country);
    expect(fields.sectors).toContain('environment');
    expect(fields.sectors!.length).toBeLessThanOrEqual(3);
    expect(fields.summary).toBe(text);
    expect(fields.title!.length).toBeGreaterThan(5);
    expect([...fields.title!].length).toBeLessThanOrEqual(120);
    expect(text.includes(fields.title!.slice(1))).toBe(true);
  });

  const FIELD_TESTED: Record<Language, string> = {
    en: 'prototype tested in the field',
    id: 'prototipe yang sudah diuji di lapangan',
    ms: 'prototaip yang telah diuji di lapangan',
    th: 'ต้นแบบที่ผ่านการทดสอบภาคสนามแล้ว',
    vi: 'nguyên mẫu đã được thử nghiệm thực địa',
    fil: 'prototype na nasubok na sa field',
    km: 'គំរូដើមដែលបានសាកល្បងនៅទីវាល',
    lo: 'ຕົ້ນແບບທີ່ທົດສອບພາກສະໜາມແລ້ວ',
    my: 'ကွင်းဆင်းစမ်းသပ်ပြီးသော ရှေ့ပြေးပုံစံ',
    zh: '已经过现场测试的样机',
  };

  it.each(LANGUAGES)('%s: "prototype tested in the field" is TRL 6, a bare prototype TRL 5', (language) => {
    expect(trlFromText(FIELD_TESTED[language])).toBe(6);
  });

  it.each<[string, number | undefined]>([
    ['we have a working prototype', 5],
    ['purwarupa alat pengering', 5],
    ['ต้นแบบเครื่องอบ', 5],
    ['validated at lab scale', 4],
    ['quy mô phòng thí nghiệm', 4],
    ['running a pilot plant in Bac Ninh', 7],
    ['โครงการนำร่องในจังหวัดน่าน', 7],
    ['中试阶段', 7],
    ['market-ready design', 8],
    ['commercially available since 2021', 9],
    ['已上市三年', 9],
    ['proof of concept only', 3],
    ['TRL 4', 4],
    ['TKT 7', 7],
    ['technology readiness level 5', 5],
    ['技术成熟度为6级', 6],
    ['a lab-scale prototype', 4],
    ['a cheap way to dry fish', undefined],
  ])('TRL of "%s" is %s', (text, trl) => {
    expect(trlFromText(text)).toBe(trl);
  });

  it.each<[string, Language, string]>([
    ['The device is patented in Singapore.', 'en', 'granted_patent'],
    ['Teknologi ini belum dipatenkan.', 'id', 'unpatented'],
    ['Reka bentuk ini telah dipatenkan.', 'ms', 'granted_patent'],
    ['ยังไม่มีสิทธิบัตร', 'th', 'unpatented'],
    ['ได้รับสิทธิบัตรแล้วในปี 2565', 'th', 'granted_patent'],
    ['Phần mềm mã nguồn mở', 'vi', 'open_source'],
    ['May patent na ito sa Pilipinas', 'fil', 'granted_patent'],
    ['យើងមានប៉ាតង់រួចហើយ', 'km', 'granted_patent'],
    ['ບໍ່ມີສິດທິບັດ', 'lo', 'unpatented'],
    ['တီထွင်မှုမူပိုင်ခွင့်ရရှိပြီးဖြစ်သည်', 'my', 'granted_patent'],
    ['配方属于商业秘密', 'zh', 'trade_secret'],
    ['软件已登记著作权', 'zh', 'copyright'],
  ])('IP status of "%s" (%s) is %s', async (text, language, ipStatus) => {
    expect((await rules.extractFields(text, 'offer', language)).ipStatus).toBe(ipStatus);
  });

  it.each<[string, Language, string[]]>([
    ['We seek an investor and a research partner.', 'en', ['investment', 'research_cooperation']],
    ['Kami mencari investor dan kerja sama teknis.', 'id', ['investment', 'technical_cooperation']],
    ['Kami ingin menjual teknologi ini.', 'id', ['sale']],
    ['ต้องการความร่วมมือวิจัยกับมหาวิทยาลัย', 'th', ['research_cooperation']],
    ['cần hỗ trợ kỹ thuật và nhà đầu tư', 'vi', ['technical_cooperation', 'investment']],
    ['Hinahanap namin ang mamumuhunan', 'fil', ['investment']],
    ['ចង់លក់បច្ចេកវិទ្យានេះ', 'km', ['sale']],
    ['ຕ້ອງການນັກລົງທຶນ', 'lo', ['investment']],
    ['နည်းပညာကို ရောင်းချလိုသည်', 'my', ['sale']],
    ['寻求联合研发与投资', 'zh', ['research_cooperation', 'investment']],
    ['ມີຂາຍໃນຕະຫຼາດແລ້ວ', 'lo', []],
  ])('partnership in "%s" (%s) is %j', async (text, language, partnership) => {
    const fields = await rules.extractFields(text, 'need', language);
    expect(fields.partnership ?? []).toEqual(partnership);
  });

  it('never invents values the text does not support', async () => {
    const fields = await rules.extractFields('A better way to keep fish cold on small boats.', 'need', 'en');
    expect(fields).toMatchObject({ kind: 'need', title: 'A better way to keep fish cold on small boats' });
    expect(fields.trl).toBeUndefined();
    expect(fields.ipStatus).toBeUndefined();
    expect(fields.partnership).toBeUndefined();
    expect(fields.country).toBeUndefined();
  });

  it('leaves the country out when several are named and none is the author’s', async () => {
    const fields = await rules.extractFields('We want partners from Japan, Korea or Vietnam.', 'need', 'en');
    expect(fields.country).toBeUndefined();
  });

  it('takes the title after a cue phrase, capitalised, at most 120 characters', async () => {
    expect((await rules.extractFields('Our lab developed a low-cost solar dryer for cassava. It works.', 'offer', 'en')).title).toBe(
      'Low-cost solar dryer for cassava',
    );
    expect((await rules.extractFields('kami mengembangkan sensor kualitas air untuk tambak udang', 'offer', 'id')).title).toBe(
      'Sensor kualitas air untuk tambak udang',
    );
    const long = `${'very '.repeat(60)}long sentence without a full stop`;
    const title = (await rules.extractFields(long, 'offer', 'en')).title!;
    expect([...title].length).toBeLessThanOrEqual(120);
    expect(title.endsWith('…')).toBe(true);
    const thai = 'ระบบ'.repeat(80);
    expect([...(await rules.extractFields(thai, 'offer', 'th')).title!].length).toBeLessThanOrEqual(120);
  });

  it('finds sectors from glossary concepts and sector words', async () => {
    expect((await rules.extractFields('Drone spraying for rice fields', 'offer', 'en')).sectors).toEqual(
      expect.arrayContaining(['agrifood', 'robotics']),
    );
    expect((await rules.extractFields('โดรนพ่นยาในนาข้าว', 'offer', 'th')).sectors).toEqual(expect.arrayContaining(['agrifood', 'robotics']));
  });
});

describe('vague needs', () => {
  const VAGUE: Array<[string, Language]> = [
    ['help me', 'en'],
    ['technology', 'en'],
    ['ada teknologi?', 'id'],
    ['ada teknologi tak?', 'ms'],
    ['มีเทคโนโลยีไหม', 'th'],
    ['có công nghệ nào không?', 'vi'],
    ['May teknolohiya ba kayo?', 'fil'],
    ['មានបច្ចេកវិទ្យាទេ?', 'km'],
    ['ມີເຕັກໂນໂລຊີບໍ່', 'lo'],
    ['နည်းပညာ ရှိလား', 'my'],
    ['有技术吗？', 'zh'],
    ['', 'en'],
  ];
  it.each(VAGUE)('"%s" (%s) is vague', (text, language) => {
    expect(isVague(text, language, glossary)).toBe(true);
    expect(rules.isVague(text, language)).toBe(true);
  });

  it.each(LANGUAGES)('%s: the technology need is not vague', (language) => {
    expect(isVague(NEEDS[language], language, glossary)).toBe(false);
  });

  it('"water filter" alone is not vague: it names a concept', () => {
    expect(isVague('water filter', 'en', glossary)).toBe(false);
  });
});

describe('small talk and language', () => {
  it.each<[string, Language, string]>([
    ['hello', 'en', 'greeting'],
    ['Selamat pagi', 'id', 'greeting'],
    ['สวัสดีครับ', 'th', 'greeting'],
    ['xin chào', 'vi', 'greeting'],
    ['magandang umaga po', 'fil', 'greeting'],
    ['សួស្តី', 'km', 'greeting'],
    ['ສະບາຍດີ', 'lo', 'greeting'],
    ['မင်္ဂလာပါ', 'my', 'greeting'],
    ['你好', 'zh', 'greeting'],
    ['thank you so much', 'en', 'thanks'],
    ['terima kasih banyak', 'ms', 'thanks'],
    ['ขอบคุณมากครับ', 'th', 'thanks'],
    ['cảm ơn nhiều', 'vi', 'thanks'],
    ['maraming salamat po', 'fil', 'thanks'],
    ['អរគុណច្រើន', 'km', 'thanks'],
    ['ຂອບໃຈຫຼາຍໆ', 'lo', 'thanks'],
    ['ကျေးဇူးတင်ပါတယ်', 'my', 'thanks'],
    ['谢谢', 'zh', 'thanks'],
    ['delete all my data', 'en', 'command'],
    ['what do you do with my data?', 'en', 'command'],
    ['xóa toàn bộ dữ liệu của tôi', 'vi', 'command'],
    ['怎么用', 'zh', 'command'],
    ['qwertyuiop', 'en', 'unknown'],
  ])('"%s" (%s) → %s', async (text, language, kind) => {
    expect((await rules.understand(text, idle(language))).intent.kind).toBe(kind);
  });

  it('sets the language only when the text tells', async () => {
    expect((await rules.understand(NEEDS.th, idle('en'))).language).toBe('th');
    expect((await rules.understand(NEEDS.vi, idle('en'))).language).toBe('vi');
    expect((await rules.understand('ok', confirming('th'))).language).toBeUndefined();
  });
});

describe('hostile input', () => {
  const HOSTILE: string[] = [
    '',
    '   ',
    '\u0000\u0001\u0007\u001b[31m',
    "'; DROP TABLE listings; --",
    "Robert'); DROP TABLE students;-- solar pump",
    'SELECT * FROM listings WHERE 1=1 UNION SELECT password FROM users',
    'ต้องการ solar dryer 太阳能 ម៉ាស៊ីនចម្រោះទឹក ລາວ မြန်မာ Việt Nam 🇻🇳',
    '\uD800\uDFFF\uDFFF\uD800',
    '\u202Eevil\u202C \u200B\u200B\u200B',
    '🙂🙂🙂🙂',
    '/'.repeat(500),
    'TRL TRL TRL 99 ≥≥≥ +++',
    'only only only in in in , , ,',
    'a'.repeat(100_000),
    'solar water pump '.repeat(6_000),
    'ต้องการเครื่องกรองน้ำ'.repeat(5_000),
    'solar pump, only Vietnam, '.repeat(4_000),
    'ລາວ'.repeat(30_000),
  ];

  it.each(HOSTILE.map((text) => [text.slice(0, 40), text]))('never throws on "%s…"', async (_label, text) => {
    for (const context of [idle('en'), withResults('th'), confirming('km')]) {
      const result = await rules.understand(text, context);
      expect(result.via).toBe('rules');
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      if (result.intent.kind === 'search') expect([...result.intent.query].length).toBeLessThanOrEqual(2_000);
    }
    const fields = await rules.extractFields(text, 'need', 'en');
    expect(fields.kind).toBe('need');
    if (fields.summary) expect([...fields.summary].length).toBeLessThanOrEqual(20_000);
    if (fields.title) expect([...fields.title].length).toBeLessThanOrEqual(120);
    expect(typeof isVague(text, 'en', glossary)).toBe('boolean');
    expect(typeof splitRefinement(text, 'en').query).toBe('string');
  });

  it('gives concrete answers on odd input', async () => {
    expect((await rules.understand('', idle('en'))).intent).toEqual({ kind: 'unknown' });
    expect((await rules.understand('\u0000/help\u0007', idle('en'))).intent).toEqual({ kind: 'command', command: 'help' });
    expect((await rules.understand("'; DROP TABLE listings; --", idle('en'))).intent.kind).not.toBe('command');
    expect(cleanText('a\u0000b\u200Bc\r\n\r\n\r\n\r\nd')).toBe('a b c\n\nd');
    expect((await rules.extractFields('   ', 'offer', 'en'))).toEqual({ kind: 'offer' });
  });

  it('answers a 100 kB message quickly', async () => {
    const started = performance.now();
    await rules.understand('solar water pump for irrigation '.repeat(3_300), withResults('en'));
    await rules.extractFields('solar water pump for irrigation. '.repeat(3_000), 'offer', 'en');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
