import type { Language } from '../domain/languages.js';
import { hasUnspacedScript } from '../text/segment.js';
import { PhraseMatcher, baseText, mapText, phraseForm, type PhraseEntry } from './phrase-matcher.js';
import type { Command } from './types.js';

/**
 * The eight commands, typed as "/find solar pumps", "find solar pumps" or their words in any of the ten
 * languages ("bantuan", "ช่วยเหลือ", "帮助", "cari pompa surya", "ค้นหาเครื่องกรองน้ำ"). Words are
 * recognised whatever the user's language (people type "/help" in Thai chats).
 *
 * Typed without a slash, a command word must stand alone (politeness words such as "please", "ครับ", "ạ",
 * "po" allowed), except that `find` and `language` take the rest of the message ("cari pompa surya",
 * "bahasa melayu") and any command takes it after a colon ("offer: solar dryer"). So "need a solar pump"
 * is a search, not the `need` command. Telegram's "/start" is `help`; "/find@JembatanBot x" works.
 */

/** Written for the project. The first English word is the command's canonical name. */
// prettier-ignore
export const COMMAND_WORDS: Record<Command, Record<Language, string[]>> = {
  help: {
    en: ['help', 'start', 'menu', 'commands', 'help me'],
    id: ['bantuan', 'tolong', 'panduan', 'menu'],
    ms: ['bantuan', 'tolong', 'panduan', 'menu'],
    th: ['ช่วยเหลือ', 'วิธีใช้', 'เมนู', 'ช่วยด้วย'],
    vi: ['trợ giúp', 'giúp đỡ', 'hướng dẫn', 'giúp tôi'],
    fil: ['tulong', 'tulungan', 'gabay'],
    km: ['ជំនួយ', 'របៀបប្រើ', 'ម៉ឺនុយ', 'ជួយផង'],
    lo: ['ຊ່ວຍເຫຼືອ', 'ຊ່ວຍເຫລືອ', 'ວິທີໃຊ້', 'ເມນູ'],
    my: ['အကူအညီ', 'အသုံးပြုနည်း', 'မီနူး'],
    zh: ['帮助', '幫助', '菜单', '菜單', '使用说明', '帮忙'],
  },
  language: {
    en: ['language', 'languages', 'change language', 'switch language', 'lang'],
    id: ['bahasa', 'ganti bahasa', 'ubah bahasa'],
    ms: ['bahasa', 'tukar bahasa'],
    th: ['ภาษา', 'เปลี่ยนภาษา'],
    vi: ['ngôn ngữ', 'đổi ngôn ngữ', 'chọn ngôn ngữ'],
    fil: ['wika', 'palitan ang wika'],
    km: ['ភាសា', 'ប្តូរភាសា', 'ប្ដូរភាសា'],
    lo: ['ພາສາ', 'ປ່ຽນພາສາ'],
    my: ['ဘာသာစကား', 'ဘာသာစကားပြောင်း'],
    zh: ['语言', '語言', '切换语言', '更改语言'],
  },
  find: {
    en: ['find', 'search', 'search for', 'look for', 'find me'],
    id: ['cari', 'carikan', 'pencarian'],
    ms: ['cari', 'carian', 'carikan'],
    th: ['ค้นหา', 'หา'],
    vi: ['tìm', 'tìm kiếm'],
    fil: ['hanapin', 'maghanap', 'hanap'],
    km: ['ស្វែងរក', 'រក'],
    lo: ['ຄົ້ນຫາ', 'ຊອກຫາ'],
    my: ['ရှာဖွေ', 'ရှာ', 'ရှာပါ'],
    zh: ['查找', '搜索', '查询', '找', '搜尋', '查詢'],
  },
  offer: {
    en: ['offer', 'post offer', 'new offer', 'post an offer'],
    id: ['tawarkan', 'penawaran', 'tawarkan teknologi'],
    ms: ['tawaran', 'tawarkan', 'tawarkan teknologi'],
    th: ['เสนอ', 'เสนอเทคโนโลยี', 'ลงข้อเสนอ'],
    vi: ['chào bán', 'chào bán công nghệ', 'đăng công nghệ'],
    fil: ['alok', 'mag-alok', 'ialok'],
    km: ['ផ្តល់ជូន', 'ផ្ដល់ជូន', 'ដាក់ការផ្តល់ជូន'],
    lo: ['ສະເໜີ', 'ສະເຫນີ', 'ສະເໜີເຕັກໂນໂລຊີ'],
    my: ['ကမ်းလှမ်း', 'နည်းပညာကမ်းလှမ်း'],
    zh: ['发布成果', '提供技术', '发布技术', '發布成果'],
  },
  need: {
    en: ['need', 'post need', 'new need', 'post a need'],
    id: ['kebutuhan', 'pasang kebutuhan'],
    ms: ['keperluan', 'hantar keperluan'],
    th: ['ความต้องการ', 'ลงความต้องการ'],
    vi: ['nhu cầu', 'đăng nhu cầu'],
    fil: ['pangangailangan', 'kailangan'],
    km: ['តម្រូវការ', 'ដាក់តម្រូវការ'],
    lo: ['ຄວາມຕ້ອງການ', 'ລົງຄວາມຕ້ອງການ'],
    my: ['လိုအပ်ချက်', 'လိုအပ်ချက်တင်'],
    zh: ['需求', '发布需求', '發布需求'],
  },
  my: {
    en: ['my', 'my listings', 'my offers', 'my needs', 'my posts', 'mine'],
    id: ['listing saya', 'daftar saya', 'milik saya', 'punya saya'],
    ms: ['senarai saya', 'penyenaraian saya', 'milik saya'],
    th: ['ของฉัน', 'ของผม', 'ประกาศของฉัน', 'รายการของฉัน'],
    vi: ['của tôi', 'tin của tôi', 'bài đăng của tôi'],
    fil: ['akin', 'aking mga listing', 'mga listing ko'],
    km: ['របស់ខ្ញុំ', 'ការប្រកាសរបស់ខ្ញុំ'],
    lo: ['ຂອງຂ້ອຍ', 'ລາຍການຂອງຂ້ອຍ'],
    my: ['ကျွန်ုပ်၏', 'ကျွန်ုပ်၏စာရင်း', 'ကျွန်တော့်စာရင်း'],
    zh: ['我的', '我的发布', '我的信息', '我的發布'],
  },
  intros: {
    en: ['intros', 'introductions', 'my introductions', 'my requests'],
    id: ['perkenalan', 'perkenalan saya', 'permintaan saya'],
    ms: ['perkenalan', 'perkenalan saya', 'permintaan saya'],
    th: ['การแนะนำตัว', 'คำขอของฉัน', 'คำขอแนะนำของฉัน'],
    vi: ['giới thiệu', 'yêu cầu của tôi', 'yêu cầu giới thiệu'],
    fil: ['pagpapakilala', 'mga kahilingan ko'],
    km: ['ការណែនាំ', 'សំណើរបស់ខ្ញុំ'],
    lo: ['ການແນະນຳ', 'ຄຳຮ້ອງຂໍຂອງຂ້ອຍ'],
    my: ['မိတ်ဆက်မှု', 'ကျွန်ုပ်၏တောင်းဆိုမှု'],
    zh: ['引荐', '我的引荐', '我的请求', '我的請求'],
  },
  alerts: {
    en: ['alerts', 'my alerts', 'saved needs', 'notifications'],
    id: ['peringatan', 'peringatan saya', 'notifikasi'],
    ms: ['makluman', 'makluman saya', 'pemberitahuan'],
    th: ['การแจ้งเตือน', 'การแจ้งเตือนของฉัน'],
    vi: ['thông báo', 'cảnh báo của tôi', 'thông báo của tôi'],
    fil: ['mga alerto', 'alerto ko', 'abiso'],
    km: ['ការជូនដំណឹង', 'ការជូនដំណឹងរបស់ខ្ញុំ'],
    lo: ['ການແຈ້ງເຕືອນ', 'ການແຈ້ງເຕືອນຂອງຂ້ອຍ'],
    my: ['သတိပေးချက်', 'ကျွန်ုပ်၏သတိပေးချက်'],
    zh: ['提醒', '我的提醒', '订阅', '訂閱'],
  },
  privacy: {
    en: ['privacy', 'privacy policy', 'data protection'],
    id: ['privasi', 'kebijakan privasi'],
    ms: ['privasi', 'dasar privasi'],
    th: ['ความเป็นส่วนตัว', 'นโยบายความเป็นส่วนตัว'],
    vi: ['quyền riêng tư', 'chính sách bảo mật', 'bảo mật'],
    fil: ['pagkapribado', 'patakaran sa privacy'],
    km: ['ឯកជនភាព', 'គោលការណ៍ឯកជនភាព'],
    lo: ['ຄວາມເປັນສ່ວນຕົວ', 'ນະໂຍບາຍຄວາມເປັນສ່ວນຕົວ'],
    my: ['ကိုယ်ရေးလုံခြုံမှု', 'ကိုယ်ရေးအချက်အလက်မူဝါဒ'],
    zh: ['隐私', '隱私', '隐私政策', '隱私政策'],
  },
  forget: {
    en: ['forget', 'forget me', 'delete my data', 'delete me'],
    id: ['lupakan', 'lupakan saya', 'hapus data saya', 'hapus data'],
    ms: ['lupakan', 'lupakan saya', 'padam data saya', 'padam data'],
    th: ['ลืมฉัน', 'ลืมผม', 'ลบข้อมูลของฉัน', 'ลบข้อมูล'],
    vi: ['quên tôi', 'xóa dữ liệu của tôi', 'xoá dữ liệu của tôi', 'xóa dữ liệu', 'xoá dữ liệu'],
    fil: ['kalimutan', 'kalimutan ako', 'burahin ang data ko'],
    km: ['បំភ្លេចខ្ញុំ', 'លុបទិន្នន័យរបស់ខ្ញុំ'],
    lo: ['ລືມຂ້ອຍ', 'ລຶບຂໍ້ມູນຂອງຂ້ອຍ'],
    my: ['ကျွန်ုပ်ကိုမေ့ပါ', 'ကျွန်ုပ်၏ဒေတာဖျက်ပါ'],
    zh: ['忘记我', '忘記我', '删除我的数据', '刪除我的資料'],
  },
};

/** Commands that take the rest of the message without a slash or colon. */
const TAKES_REST: ReadonlySet<Command> = new Set(['find', 'language']);
/** Longest rest accepted for `language` without a slash ("bahasa melayu", not "bahasa pemrograman untuk robot"). */
const LANGUAGE_REST_MAX_WORDS = 2;

/** Politeness and filler that may follow a bare command word. Written for the project. */
const POLITE = new Set(
  [
    'please', 'pls', 'plz', 'thanks', 'now', 'me', 'tolong', 'dong', 'ya', 'sila', 'lah', 'ครับ', 'ค่ะ', 'คะ', 'นะ', 'หน่อย',
    'ạ', 'nhé', 'nha', 'với', 'po', 'naman', 'nga', 'ផង', 'បាទ', 'ចាស', 'ແດ່', 'ເດີ', 'ပါ', 'ခင်ဗျာ', 'ရှင့်', '吧', '一下', '请',
  ].map((word) => phraseForm(word, true)),
);

interface CommandWord {
  command: Command;
}

let matcher: PhraseMatcher<CommandWord> | undefined;
let slashNames: Map<string, Command> | undefined;

function commandMatcher(): PhraseMatcher<CommandWord> {
  if (matcher) return matcher;
  const entries: PhraseEntry<CommandWord>[] = [];
  slashNames = new Map();
  for (const [command, byLanguage] of Object.entries(COMMAND_WORDS) as Array<[Command, Record<Language, string[]>]>) {
    slashNames.set(command, command);
    for (const [language, words] of Object.entries(byLanguage)) {
      for (const word of words) {
        entries.push({ phrase: word, value: { command }, exact: language === 'vi' && !word.includes(' ') });
        if (!/\s/u.test(word)) slashNames.set(phraseForm(word, true), command);
      }
    }
  }
  matcher = new PhraseMatcher(entries);
  return matcher;
}

export interface ParsedCommand {
  command: Command;
  rest?: string;
  /** True when typed with a slash. */
  slash: boolean;
}

const SLASH = /^\/([^\s@/]+)(?:@\S*)?(?:\s+([\s\S]*))?$/u;
const PUNCTUATION_ONLY = /^[\s\p{P}\p{S}]*$/u;

function restOf(text: string): string | undefined {
  const rest = text.replace(/^[\s:：,，\-–—]+/u, '').trim();
  return rest ? rest : undefined;
}

function isPoliteOnly(text: string): boolean {
  const words = mapText(text, true)
    .chars.join('')
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean);
  return words.every((word) => POLITE.has(word));
}

const segmenters = new Map<string, Intl.Segmenter>();

/** For scripts without spaces: does ICU see a word boundary at this code point offset? */
function wordBoundaryAt(text: string, offset: number): boolean {
  const locale = 'und';
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, segmenter);
  }
  const unitOffset = [...text].slice(0, offset).join('').length;
  for (const segment of segmenter.segment(text)) {
    if (segment.index === unitOffset) return true;
    if (segment.index > unitOffset) return false;
  }
  return unitOffset === text.length;
}

/**
 * The command a message is, if any. `language` is unused for matching (all languages' words count) and
 * kept for symmetry with the other parsers.
 */
export function parseCommand(text: string, _language?: Language): ParsedCommand | undefined {
  const trimmed = baseText(text).trim();
  if (!trimmed) return undefined;
  commandMatcher();
  const slash = SLASH.exec(trimmed);
  if (slash) {
    const name = phraseForm(slash[1]!, true);
    const command = slashNames!.get(name);
    if (!command) return undefined;
    return { command, rest: restOf(slash[2] ?? ''), slash: true };
  }
  if (trimmed.length > 4000) return undefined;
  // "bahasa melayu", "ภาษาไทย", "ភាសាខ្មែរ": the language command with the language's code.
  const named = parseLanguageRequest(trimmed);
  if (named) return named;
  const hits = commandMatcher()
    .all(trimmed)
    .filter((hit) => hit.start === 0)
    .sort((a, b) => b.end - a.end);
  const chars = [...trimmed];
  for (const hit of hits) {
    const after = chars.slice(hit.end).join('');
    const glued = hasUnspacedScript(hit.phrase) && after && !/^[\s\p{P}]/u.test(after) && !wordBoundaryAt(trimmed, hit.end);
    if (glued && !(hit.value.command === 'language' && [...trimmed].length <= 25)) continue;
    const command = hit.value.command;
    if (PUNCTUATION_ONLY.test(after) || isPoliteOnly(after)) return { command, slash: false };
    if (/^\s*[:：]/u.test(after)) return { command, rest: restOf(after), slash: false };
    if (!TAKES_REST.has(command)) continue;
    const rest = restOf(after);
    // "ភាសាខ្មែរ", "ພາສາລາວ": a language name glued to the word for "language".
    if (command === 'language' && rest && [...trimmed].length <= 25) return { command, rest, slash: false };
    if (!rest) return { command, slash: false };
    if (command === 'language' && rest.split(/\s+/u).length > LANGUAGE_REST_MAX_WORDS) continue;
    if (command === 'find' && !hasUnspacedScript(hit.phrase) && !/^[\s:：,，]/u.test(after)) continue;
    return { command, rest, slash: false };
  }
  return undefined;
}

/**
 * Names of our languages as people type them to switch ("English please", "tiếng Việt", "ភាសាខ្មែរ",
 * "中文"). Written for the project. Country names are left out ("ไทย", "Myanmar" narrow results).
 */
// prettier-ignore
const LANGUAGE_NAMES: Record<Language, string[]> = {
  en: ['english', 'bahasa inggris', 'ภาษาอังกฤษ', 'tiếng anh', 'ភាសាអង់គ្លេស', 'ພາສາອັງກິດ', 'အင်္ဂလိပ်ဘာသာ', 'အင်္ဂလိပ်', '英文', '英语', '英語'],
  id: ['bahasa indonesia', 'indonesian', 'indo'],
  ms: ['bahasa melayu', 'malay', 'bahasa malaysia', 'melayu'],
  th: ['thai', 'ภาษาไทย', 'tiếng thái', 'bahasa thai'],
  vi: ['tiếng việt', 'vietnamese', 'bahasa vietnam'],
  fil: ['filipino', 'tagalog', 'wikang filipino', 'tagalog po'],
  km: ['khmer', 'ភាសាខ្មែរ', 'ខ្មែរ', 'tiếng khmer'],
  lo: ['lao', 'ພາສາລາວ', 'laotian', 'tiếng lào'],
  my: ['burmese', 'မြန်မာဘာသာ', 'မြန်မာစာ', 'myanmar language'],
  zh: ['chinese', 'mandarin', '中文', '汉语', '漢語', '普通话', '華語', '华语', 'tiếng trung', 'bahasa mandarin'],
};
const SWITCH_WORDS = /^(?:please\s+)?(?:(?:switch|change)\s+(?:to\s+)?|speak\s+|reply\s+in\s+|answer\s+in\s+|use\s+|in\s+|pakai\s+|guna\s+|dung\s+|noi\s+)/u;

let languageByName: Map<string, Language> | undefined;

/**
 * A message that only names a language ("English please", "in Thai", "tiếng Việt") → the `language`
 * command, with the language code as `rest`.
 */
export function parseLanguageRequest(text: string): ParsedCommand | undefined {
  if (!languageByName) {
    languageByName = new Map();
    for (const [language, names] of Object.entries(LANGUAGE_NAMES) as Array<[Language, string[]]>) {
      for (const name of names) languageByName.set(phraseForm(name, true), language);
    }
  }
  const trimmed = baseText(text).trim();
  if (!trimmed || [...trimmed].length > 40) return undefined;
  const name = phraseForm(trimmed, true)
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .split(/\s+/u)
    .filter((word) => word && !POLITE.has(word))
    .join(' ')
    .replace(SWITCH_WORDS, '');
  const language = languageByName.get(name);
  return language ? { command: 'language', rest: language, slash: false } : undefined;
}
