import { createRequire } from 'node:module';
import { COUNTRIES } from '../domain/countries.js';
import type { Language } from '../domain/languages.js';
import { PhraseMatcher, baseText, nonOverlapping, type PhraseEntry, type Span } from './phrase-matcher.js';

/**
 * Country names in chat text, in all ten languages, to ISO 3166-1 alpha-2 codes.
 *
 * Names come from two places:
 * - `i18n-iso-countries` (maintained CLDR-style names) for en, id, ms, vi (all countries, whole words),
 *   th, km, zh (long names only, plus the curated short names below: these scripts are matched as
 *   substrings, so a two-letter Chinese name such as 中非 would match inside 非常);
 * - `OWN_NAMES` below, written for the project: Filipino, Lao and Burmese (the package has none), and
 *   everyday names and spellings for every language ("Laos", "พม่า", "Mã Lai", "台灣", "USA" …).
 * Codes typed in capitals ("VN", "TH") are accepted for the countries of `CODE_COUNTRIES`.
 */

type Names = Partial<Record<Language, string[]>>;

/** Written for the project. Everyday names of the countries founders and researchers in the region mention. */
// prettier-ignore
const OWN_NAMES: Record<string, Names> = {
  BN: { en: ['Brunei', 'Brunei Darussalam'], id: ['Brunei'], ms: ['Brunei'], th: ['บรูไน'], vi: ['Brunei', 'Bru-nây'], fil: ['Brunei'], km: ['ព្រុយណេ'], lo: ['ບຣູໄນ', 'ບຣູໄນດາຣຸສະລາມ'], my: ['ဘရူနိုင်း'], zh: ['文莱', '汶萊', '汶莱'] },
  KH: { en: ['Cambodia'], id: ['Kamboja'], ms: ['Kemboja'], th: ['กัมพูชา'], vi: ['Campuchia', 'Cam-pu-chia'], fil: ['Cambodia', 'Kambodya'], km: ['កម្ពុជា'], lo: ['ກຳປູເຈຍ', 'ກໍາປູເຈຍ'], my: ['ကမ္ဘောဒီးယား'], zh: ['柬埔寨'] },
  ID: { en: ['Indonesia'], id: ['Indonesia'], ms: ['Indonesia'], th: ['อินโดนีเซีย'], vi: ['Indonesia', 'In-đô-nê-xi-a'], fil: ['Indonesia'], km: ['ឥណ្ឌូណេស៊ី'], lo: ['ອິນໂດເນເຊຍ'], my: ['အင်ဒိုနီးရှား'], zh: ['印度尼西亚', '印尼', '印度尼西亞'] },
  LA: { en: ['Laos', 'Lao PDR'], id: ['Laos'], ms: ['Laos'], th: ['ลาว', 'สปป.ลาว', 'สปป. ลาว'], vi: ['Lào'], fil: ['Laos'], km: ['ឡាវ'], lo: ['ປະເທດລາວ', 'ສປປ ລາວ', 'ສປປລາວ', 'ສ.ປ.ປ ລາວ'], my: ['လာအို'], zh: ['老挝', '寮国', '老撾', '寮國'] },
  MY: { en: ['Malaysia'], id: ['Malaysia'], ms: ['Malaysia'], th: ['มาเลเซีย'], vi: ['Malaysia', 'Mã Lai', 'Ma-lai-xi-a'], fil: ['Malaysia'], km: ['ម៉ាឡេស៊ី'], lo: ['ມາເລເຊຍ'], my: ['မလေးရှား'], zh: ['马来西亚', '馬來西亞'] },
  MM: { en: ['Myanmar', 'Burma'], id: ['Myanmar'], ms: ['Myanmar'], th: ['พม่า', 'เมียนมา', 'เมียนมาร์'], vi: ['Myanmar', 'Miến Điện'], fil: ['Myanmar', 'Burma'], km: ['មីយ៉ាន់ម៉ា', 'ភូមា'], lo: ['ມຽນມາ', 'ພະມ້າ'], my: ['မြန်မာ'], zh: ['缅甸', '緬甸'] },
  PH: { en: ['Philippines', 'the Philippines'], id: ['Filipina'], ms: ['Filipina'], th: ['ฟิลิปปินส์'], vi: ['Philippines', 'Phi-líp-pin', 'Phi Luật Tân'], fil: ['Pilipinas', 'Philippines'], km: ['ហ្វីលីពីន'], lo: ['ຟີລິບປິນ'], my: ['ဖိလစ်ပိုင်'], zh: ['菲律宾', '菲律賓'] },
  SG: { en: ['Singapore'], id: ['Singapura'], ms: ['Singapura'], th: ['สิงคโปร์'], vi: ['Singapore', 'Xin-ga-po', 'Xinh-ga-po'], fil: ['Singapore', 'Singapura'], km: ['សិង្ហបុរី'], lo: ['ສິງກະໂປ', 'ສິງກະໂປຣ'], my: ['စင်ကာပူ'], zh: ['新加坡', '星加坡'] },
  TH: { en: ['Thailand'], id: ['Thailand'], ms: ['Thailand', 'Siam'], th: ['ไทย', 'ประเทศไทย'], vi: ['Thái Lan'], fil: ['Thailand', 'Taylandiya'], km: ['ថៃ'], lo: ['ໄທ', 'ປະເທດໄທ'], my: ['ထိုင်း'], zh: ['泰国', '泰國'] },
  VN: { en: ['Vietnam', 'Viet Nam'], id: ['Vietnam'], ms: ['Vietnam'], th: ['เวียดนาม'], vi: ['Việt Nam', 'VN'], fil: ['Vietnam', 'Biyetnam'], km: ['វៀតណាម'], lo: ['ຫວຽດນາມ'], my: ['ဗီယက်နမ်'], zh: ['越南'] },
  TL: { en: ['Timor-Leste', 'East Timor'], id: ['Timor Leste'], ms: ['Timor Timur'], th: ['ติมอร์-เลสเต', 'ติมอร์ตะวันออก'], vi: ['Đông Timor', 'Timor-Leste'], fil: ['Timor-Leste', 'Silangang Timor'], km: ['ទីម័រខាងកើត', 'ទីម័រឡេស្តេ'], lo: ['ຕີມໍຕາເວັນອອກ', 'ຕີມໍ-ເລັສເຕ'], my: ['အရှေ့တီမော', 'တီမောလက်စ်တေ'], zh: ['东帝汶', '東帝汶'] },
  CN: { en: ['China', 'PRC'], id: ['Tiongkok', 'Cina', 'China'], ms: ['China'], th: ['จีน', 'ประเทศจีน'], vi: ['Trung Quốc'], fil: ['Tsina', 'China'], km: ['ចិន'], lo: ['ຈີນ'], my: ['တရုတ်'], zh: ['中国', '中國', '大陆', '大陸'] },
  JP: { en: ['Japan'], id: ['Jepang'], ms: ['Jepun'], th: ['ญี่ปุ่น'], vi: ['Nhật Bản'], fil: ['Japan'], km: ['ជប៉ុន'], lo: ['ຍີ່ປຸ່ນ'], my: ['ဂျပန်'], zh: ['日本'] },
  KR: { en: ['Korea', 'South Korea'], id: ['Korea Selatan', 'Korea'], ms: ['Korea Selatan', 'Korea'], th: ['เกาหลี', 'เกาหลีใต้'], vi: ['Hàn Quốc', 'Nam Hàn'], fil: ['Korea', 'Timog Korea'], km: ['កូរ៉េ', 'កូរ៉េខាងត្បូង'], lo: ['ເກົາຫຼີ', 'ເກົາຫຼີໃຕ້', 'ເກົາຫລີ'], my: ['ကိုရီးယား', 'တောင်ကိုရီးယား'], zh: ['韩国', '南韩', '韓國', '南韓'] },
  IN: { en: ['India'], id: ['India'], ms: ['India'], th: ['อินเดีย'], vi: ['Ấn Độ'], fil: ['India'], km: ['ឥណ្ឌា'], lo: ['ອິນເດຍ'], my: ['အိန္ဒိယ'], zh: ['印度'] },
  US: { en: ['USA', 'United States', 'America', 'the U.S.'], id: ['Amerika Serikat', 'Amerika'], ms: ['Amerika Syarikat', 'Amerika'], th: ['สหรัฐ', 'สหรัฐอเมริกา', 'อเมริกา'], vi: ['Hoa Kỳ'], fil: ['Estados Unidos', 'Amerika'], km: ['អាមេរិក', 'សហរដ្ឋអាមេរិក'], lo: ['ອາເມລິກາ', 'ສະຫະລັດ', 'ສະຫະລັດອາເມລິກາ'], my: ['အမေရိကန်', 'အမေရိက'], zh: ['美国', '美國'] },
  AU: { en: ['Australia'], id: ['Australia'], ms: ['Australia'], th: ['ออสเตรเลีย'], vi: ['Australia', 'Ô-xtrây-li-a'], fil: ['Australia', 'Australya'], km: ['អូស្ត្រាលី'], lo: ['ອົດສະຕຣາລີ', 'ອົດສະຕາລີ', 'ອອສເຕຣເລຍ'], my: ['သြစတြေးလျ', 'ဩစတြေးလျ'], zh: ['澳大利亚', '澳洲', '澳大利亞'] },
  NZ: { en: ['New Zealand'], id: ['Selandia Baru'], ms: ['New Zealand'], th: ['นิวซีแลนด์'], vi: ['New Zealand', 'Niu Di-lân'], fil: ['New Zealand'], km: ['នូវែលសេឡង់'], lo: ['ນິວຊີແລນ'], my: ['နယူးဇီလန်'], zh: ['新西兰', '紐西蘭', '新西蘭'] },
  TW: { en: ['Taiwan'], id: ['Taiwan'], ms: ['Taiwan'], th: ['ไต้หวัน'], vi: ['Đài Loan'], fil: ['Taiwan'], km: ['តៃវ៉ាន់'], lo: ['ໄຕ້ຫວັນ'], my: ['ထိုင်ဝမ်'], zh: ['台湾', '臺灣', '台灣'] },
  HK: { en: ['Hong Kong'], id: ['Hong Kong'], ms: ['Hong Kong'], th: ['ฮ่องกง'], vi: ['Hồng Kông', 'Hong Kong'], fil: ['Hong Kong'], km: ['ហុងកុង'], lo: ['ຮົງກົງ'], my: ['ဟောင်ကောင်'], zh: ['香港'] },
  GB: { en: ['United Kingdom', 'UK', 'Britain', 'England'], id: ['Inggris'], ms: ['United Kingdom', 'Britain', 'UK'], th: ['อังกฤษ', 'สหราชอาณาจักร'], vi: ['Vương quốc Anh', 'nước Anh', 'Anh Quốc'], fil: ['United Kingdom', 'Inglatera'], km: ['អង់គ្លេស', 'ចក្រភពអង់គ្លេស'], lo: ['ອັງກິດ'], my: ['ယူကေ', 'ဗြိတိန်', 'အင်္ဂလန်'], zh: ['英国', '英國'] },
  DE: { en: ['Germany'], id: ['Jerman'], ms: ['Jerman'], th: ['เยอรมนี', 'เยอรมัน'], vi: ['Cộng hòa Liên bang Đức', 'nước Đức'], fil: ['Germany', 'Alemanya'], km: ['អាល្លឺម៉ង់'], lo: ['ເຢຍລະມັນ'], my: ['ဂျာမနီ'], zh: ['德国', '德國'] },
  FR: { en: ['France'], id: ['Prancis', 'Perancis'], ms: ['Perancis'], th: ['ฝรั่งเศส'], vi: ['nước Pháp'], fil: ['France', 'Pransya'], km: ['បារាំង'], lo: ['ຝຣັ່ງ', 'ຝະລັ່ງ'], my: ['ပြင်သစ်'], zh: ['法国', '法國'] },
  NL: { en: ['Netherlands', 'the Netherlands', 'Holland'], id: ['Belanda'], ms: ['Belanda'], th: ['เนเธอร์แลนด์', 'ฮอลแลนด์'], vi: ['Hà Lan'], fil: ['Netherlands', 'Olanda'], km: ['ហូឡង់'], lo: ['ເນເທີແລນ', 'ໂຮນລັງ'], my: ['နယ်သာလန်'], zh: ['荷兰', '荷蘭'] },
  CA: { en: ['Canada'], id: ['Kanada'], ms: ['Kanada'], th: ['แคนาดา'], vi: ['Canada'], fil: ['Canada', 'Kanada'], km: ['កាណាដា'], lo: ['ການາດາ'], my: ['ကနေဒါ'], zh: ['加拿大'] },
  RU: { en: ['Russia'], id: ['Rusia'], ms: ['Rusia'], th: ['รัสเซีย'], vi: ['nước Nga', 'Liên bang Nga'], fil: ['Russia', 'Rusya'], km: ['រុស្ស៊ី'], lo: ['ຣັດເຊຍ', 'ລັດເຊຍ'], my: ['ရုရှား'], zh: ['俄罗斯', '俄羅斯'] },
  IT: { en: ['Italy'], id: ['Italia'], ms: ['Itali'], th: ['อิตาลี'], vi: ['Italia', 'nước Ý'], fil: ['Italy', 'Italya'], km: ['អ៊ីតាលី'], lo: ['ອີຕາລີ'], my: ['အီတလီ'], zh: ['意大利', '義大利'] },
  ES: { en: ['Spain'], id: ['Spanyol'], ms: ['Sepanyol'], th: ['สเปน'], vi: ['Tây Ban Nha'], fil: ['Spain', 'Espanya'], km: ['អេស្ប៉ាញ'], lo: ['ສະເປນ'], my: ['စပိန်'], zh: ['西班牙'] },
  CH: { en: ['Switzerland'], id: ['Swiss'], ms: ['Switzerland'], th: ['สวิตเซอร์แลนด์'], vi: ['Thụy Sĩ'], fil: ['Switzerland', 'Suwisa'], km: ['ស្វីស'], lo: ['ສະວິດເຊີແລນ'], my: ['ဆွစ်ဇာလန်'], zh: ['瑞士'] },
  SE: { en: ['Sweden'], id: ['Swedia'], ms: ['Sweden'], th: ['สวีเดน'], vi: ['Thụy Điển'], fil: ['Sweden', 'Suwesya'], km: ['ស៊ុយអែត'], lo: ['ສະວີເດັນ'], my: ['ဆွီဒင်'], zh: ['瑞典'] },
  IL: { en: ['Israel'], id: ['Israel'], ms: ['Israel'], th: ['อิสราเอล'], vi: ['Israel', 'Ít-xra-en'], fil: ['Israel'], km: ['អ៊ីស្រាអែល'], lo: ['ອິດສະຣາເອນ'], my: ['အစ္စရေး'], zh: ['以色列'] },
  AE: { en: ['UAE', 'United Arab Emirates'], id: ['Uni Emirat Arab'], ms: ['Emiriah Arab Bersatu'], th: ['สหรัฐอาหรับเอมิเรตส์'], vi: ['Các Tiểu vương quốc Ả Rập Thống nhất', 'UAE'], fil: ['United Arab Emirates', 'UAE'], km: ['អារ៉ាប់រួម'], lo: ['ສະຫະລັດອາຣັບເອມິເຣດ'], my: ['အာရပ်စော်ဘွားများပြည်ထောင်စု'], zh: ['阿联酋', '阿聯酋'] },
  SA: { en: ['Saudi Arabia'], id: ['Arab Saudi'], ms: ['Arab Saudi'], th: ['ซาอุดีอาระเบีย'], vi: ['Ả Rập Xê Út', 'Saudi Arabia'], fil: ['Saudi Arabia'], km: ['អារ៉ាប៊ីសាអូឌីត'], lo: ['ຊາອຸດິອາຣາເບຍ'], my: ['ဆော်ဒီအာရေဗျ'], zh: ['沙特', '沙特阿拉伯'] },
  BD: { en: ['Bangladesh'], id: ['Bangladesh'], ms: ['Bangladesh'], th: ['บังกลาเทศ', 'บังคลาเทศ'], vi: ['Bangladesh', 'Băng-la-đét'], fil: ['Bangladesh'], km: ['បង់ក្លាដែស'], lo: ['ບັງກລາເທດ'], my: ['ဘင်္ဂလားဒေ့ရှ်'], zh: ['孟加拉国', '孟加拉'] },
  PK: { en: ['Pakistan'], id: ['Pakistan'], ms: ['Pakistan'], th: ['ปากีสถาน'], vi: ['Pakistan'], fil: ['Pakistan'], km: ['ប៉ាគីស្ថាន'], lo: ['ປາກີສະຖານ'], my: ['ပါကစ္စတန်'], zh: ['巴基斯坦'] },
  LK: { en: ['Sri Lanka'], id: ['Sri Lanka'], ms: ['Sri Lanka'], th: ['ศรีลังกา'], vi: ['Sri Lanka', 'Xri Lan-ca'], fil: ['Sri Lanka'], km: ['ស្រីលង្កា'], lo: ['ສີລັງກາ'], my: ['သီရိလင်္ကာ'], zh: ['斯里兰卡', '斯里蘭卡'] },
  NP: { en: ['Nepal'], id: ['Nepal'], ms: ['Nepal'], th: ['เนปาล'], vi: ['Nepal', 'Nê-pan'], fil: ['Nepal'], km: ['នេប៉ាល់'], lo: ['ເນປານ'], my: ['နီပေါ'], zh: ['尼泊尔', '尼泊爾'] },
  BR: { en: ['Brazil'], id: ['Brasil'], ms: ['Brazil'], th: ['บราซิล'], vi: ['Brazil', 'Bra-xin'], fil: ['Brazil', 'Brasil'], km: ['ប្រេស៊ីល'], lo: ['ບຣາຊິນ'], my: ['ဘရာဇီး'], zh: ['巴西'] },
  MX: { en: ['Mexico'], id: ['Meksiko'], ms: ['Mexico'], th: ['เม็กซิโก'], vi: ['Mexico', 'Mê-hi-cô'], fil: ['Mexico', 'Mehiko'], km: ['ម៉ិកស៊ិក'], lo: ['ເມັກຊິໂກ'], my: ['မက္ကဆီကို'], zh: ['墨西哥'] },
  ZA: { en: ['South Africa'], id: ['Afrika Selatan'], ms: ['Afrika Selatan'], th: ['แอฟริกาใต้'], vi: ['Nam Phi'], fil: ['South Africa', 'Timog Aprika'], km: ['អាហ្វ្រិកខាងត្បូង'], lo: ['ອາຟຣິກາໃຕ້'], my: ['တောင်အာဖရိက'], zh: ['南非'] },
  EG: { en: ['Egypt'], id: ['Mesir'], ms: ['Mesir'], th: ['อียิปต์'], vi: ['Ai Cập'], fil: ['Egypt', 'Ehipto'], km: ['អេហ្ស៊ីប'], lo: ['ອີຢິບ', 'ເອຢິບ'], my: ['အီဂျစ်'], zh: ['埃及'] },
  KE: { en: ['Kenya'], id: ['Kenya'], ms: ['Kenya'], th: ['เคนยา'], vi: ['Kenya', 'Kê-ni-a'], fil: ['Kenya'], km: ['កេនយ៉ា'], lo: ['ເຄນຢາ'], my: ['ကင်ညာ'], zh: ['肯尼亚', '肯亞'] },
  NG: { en: ['Nigeria'], id: ['Nigeria'], ms: ['Nigeria'], th: ['ไนจีเรีย'], vi: ['Nigeria', 'Ni-giê-ri-a'], fil: ['Nigeria'], km: ['នីហ្សេរីយ៉ា'], lo: ['ໄນຈີເຣຍ'], my: ['နိုင်ဂျီးရီးယား'], zh: ['尼日利亚', '奈及利亞'] },
  TR: { en: ['Türkiye'], id: ['Turki'], ms: ['Turki'], th: ['ตุรกี', 'ทูร์เคีย'], vi: ['Thổ Nhĩ Kỳ'], fil: ['Turkey', 'Turkiya'], km: ['តួកគី'], lo: ['ຕວກກີ'], my: ['တူရကီ'], zh: ['土耳其'] },
};

/**
 * Capitalised single-syllable Vietnamese names, matched case-sensitively: lowercase they are everyday
 * words (mỹ phẩm "cosmetics", đúc "casting", pháp luật "law", lào). "Ý" (idea) and "Anh" (you, a given
 * name) are left out on purpose; "nước Ý" and "nước Anh" above cover them.
 */
const CASE_SENSITIVE_NAMES: Array<[string, string, string?]> = [
  ['Mỹ', 'US', ' (?:phẩm|thuật|nghệ|học|quan|mãn|vị|nữ|nhân|lệ|miều|Tho)'],
  ['Úc', 'AU'],
  ['Đức', 'DE', ' (?:tính|độ)'],
  ['Pháp', 'FR', ' (?:luật|lý|lệnh|nhân|chế|định|quy|sư)'],
  ['Nga', 'RU'],
  ['Lào', 'LA'],
  ['Bỉ', 'BE'],
  ['Hapon', 'JP'],
];

/**
 * Names that are also everyday words, accepted only right after a word for "only", "in", "from" or
 * "country", or when they are the whole message: Lao ລາວ is "Laos" and "he/she".
 */
const GUARDED_NAMES: Array<[string, string, RegExp]> = [['ລາວ', 'LA', /(?:ສະເພາະ|ຢູ່|ຈາກ|ໃນ|ແຕ່|ປະເທດ|ສປປ|ຂອງ)\s*$/u]];

/** Codes accepted when typed in capitals; common English and Malay words in capitals (IN, IT, ID…) excluded. */
// prettier-ignore
const CODE_COUNTRIES = new Set(['BN','KH','LA','MM','PH','SG','TH','VN','TL','CN','JP','KR','US','AU','NZ','TW','HK','GB','UK','DE','FR','NL','CA','RU','ES','CH','SE','IL','AE','SA','BD','PK','LK','NP','BR','MX','ZA','EG','KE','NG','TR']);
const CODE_ALIASES: Record<string, string> = { UK: 'GB' };

/** Names that are everyday words too, left out whatever their source. */
const AMBIGUOUS = new Set([
  'chad', 'jersey', 'guernsey', 'georgia', 'jordan', 'turkey', 'guinea', 'reunion', 'dominica', 'us', 'u.s.',
  'man', 'mali', 'chile', 'niger', 'congo', 'kongo', 'cong-go', 'ma-roc', 'ban dao ma lai', 'bán đảo mã lai',
  'ý', 'mỹ', 'úc', 'đức', 'pháp', 'nga', 'bỉ', 'lào', 'มาลี',
]);

/**
 * Vietnamese names that stay unambiguous without diacritics ("viet nam"); every other Vietnamese name with
 * diacritics matches only as written ("Ai Cập" folds to "ai cap", as in "ai cấp phép" "who licenses").
 */
const FOLDABLE_VIETNAMESE = new Set([
  'Việt Nam', 'Thái Lan', 'Trung Quốc', 'Hàn Quốc', 'Nhật Bản', 'Đài Loan', 'Hồng Kông', 'Miến Điện', 'Hoa Kỳ',
  'Tây Ban Nha', 'Thụy Sĩ', 'Thụy Điển', 'Thổ Nhĩ Kỳ', 'Đông Timor', 'Campuchia', 'Phi Luật Tân',
]);

/** A word for "language" just before a name means the language ("bahasa Inggris", "ภาษาอังกฤษ", "tiếng Anh"). */
const LANGUAGE_WORD = /(?:language|bahasa|ภาษา|tiếng|tieng|wikang|salitang|ភាសា|ພາສາ|ဘာသာ|语|語)\s*$/iu;

const require = createRequire(import.meta.url);
const PACKAGE_LANGUAGES: Array<[Language, string]> = [
  ['en', 'en'],
  ['id', 'id'],
  ['ms', 'ms'],
  ['vi', 'vi'],
  ['th', 'th'],
  ['km', 'km'],
  ['zh', 'zh'],
];
const UNSPACED_LANGUAGES = new Set<Language>(['th', 'km', 'zh']);

function packageNames(locale: string): Record<string, string | string[]> {
  try {
    return (require(`i18n-iso-countries/langs/${locale}.json`) as { countries: Record<string, string | string[]> }).countries;
  } catch {
    return {};
  }
}

/** "Myanmar (Burma)" → Myanmar, Burma; "Korea, Republic of" → dropped (nobody writes it in chat). */
function cleanPackageName(name: string): string[] {
  if (name.includes(',')) return [];
  const parts = name.split(/[([\])]/).map((part) => part.trim()).filter(Boolean);
  return parts;
}

export interface CountryHit extends Span {
  code: string;
}

let matcher: PhraseMatcher<string> | undefined;

function countryMatcher(): PhraseMatcher<string> {
  if (matcher) return matcher;
  const byPhrase = new Map<string, { codes: Set<string>; exact: boolean }>();
  const add = (phrase: string, code: string, language: Language) => {
    const key = phrase.trim();
    if (!key || AMBIGUOUS.has(key.toLowerCase())) return;
    const hasDiacritics = key.normalize('NFD') !== key && /\p{Script=Latin}/u.test(key);
    const exact = language === 'vi' && hasDiacritics && !FOLDABLE_VIETNAMESE.has(key);
    const entry = byPhrase.get(key) ?? { codes: new Set<string>(), exact: false };
    entry.codes.add(code);
    entry.exact ||= exact;
    byPhrase.set(key, entry);
  };
  const known = new Set<string>(COUNTRIES);
  for (const [language, locale] of PACKAGE_LANGUAGES) {
    for (const [code, value] of Object.entries(packageNames(locale))) {
      if (!known.has(code)) continue;
      for (const raw of [value].flat()) {
        for (const name of cleanPackageName(raw)) {
          if (UNSPACED_LANGUAGES.has(language)) {
            const minimum = language === 'zh' ? 3 : 4;
            if ([...name].length < minimum) continue;
            if (/[省区區特别別]/u.test(name) || name.includes('เขตปกครอง')) continue;
          }
          add(name, code, language);
        }
      }
    }
  }
  // Own names last: a phrase that names two countries is dropped below, so ours must not collide.
  for (const [code, names] of Object.entries(OWN_NAMES)) {
    for (const [language, list] of Object.entries(names) as Array<[Language, string[]]>) {
      for (const name of list) add(name, code, language);
    }
  }
  const entries: PhraseEntry<string>[] = [];
  for (const [phrase, { codes, exact }] of byPhrase) {
    if (codes.size !== 1) continue;
    entries.push({ phrase, value: [...codes][0]!, exact });
  }
  matcher = new PhraseMatcher(entries);
  return matcher;
}

const CODE_PATTERN = /(?<![\p{L}\p{N}])([A-Z]{2})(?![\p{L}\p{N}])/gu;
const CASE_SENSITIVE_PATTERNS: Array<[RegExp, string, number]> = CASE_SENSITIVE_NAMES.map(([name, code, notFollowedBy]) => [
  new RegExp(`(?<![\\p{L}\\p{N}])${name}(?![\\p{L}\\p{N}\\p{M}])${notFollowedBy ? `(?!${notFollowedBy})` : ''}`, 'gu'),
  code,
  [...name].length,
]);

/** Code point index of each UTF-16 index of a string (built once per text, only when needed). */
function codePointIndexer(text: string): (unit: number) => number {
  let table: Int32Array | undefined;
  return (unit) => {
    if (!table) {
      table = new Int32Array(text.length + 1);
      let cp = 0;
      for (let i = 0; i < text.length; i++) {
        table[i] = cp;
        const code = text.charCodeAt(i);
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) table[++i] = cp;
        cp++;
      }
      table[text.length] = cp;
    }
    return table[unit]!;
  };
}

/** Country mentions in text order, each as a code and the span of its name. */
export function findCountries(text: string): CountryHit[] {
  const base = baseText(text);
  const chars = [...base];
  const hits: CountryHit[] = countryMatcher()
    .all(text)
    .map((hit) => ({ start: hit.start, end: hit.end, code: hit.value }));
  const toCp = codePointIndexer(base);
  for (const [pattern, code, length] of CASE_SENSITIVE_PATTERNS) {
    for (const match of base.matchAll(pattern)) {
      const start = toCp(match.index);
      hits.push({ start, end: start + length, code });
    }
  }
  for (const [name, code, after] of GUARDED_NAMES) {
    const whole = base.trim() === name;
    for (let index = base.indexOf(name); index >= 0; index = base.indexOf(name, index + name.length)) {
      if (!whole && !after.test(base.slice(Math.max(0, index - 24), index))) continue;
      const start = toCp(index);
      hits.push({ start, end: start + [...name].length, code });
    }
  }
  const letters = base.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const capitals = base.match(/\p{Lu}/gu)?.length ?? 0;
  const shouting = letters > 6 && capitals / letters > 0.6;
  if (!shouting) {
    for (const match of base.matchAll(CODE_PATTERN)) {
      const code = match[1]!;
      if (!CODE_COUNTRIES.has(code)) continue;
      const start = toCp(match.index);
      hits.push({ start, end: start + 2, code: CODE_ALIASES[code] ?? code });
    }
  }
  return nonOverlapping(hits).filter((hit) => !LANGUAGE_WORD.test(chars.slice(Math.max(0, hit.start - 12), hit.start).join('')));
}

/** Distinct country codes mentioned, in order of first mention. */
export function countryCodes(text: string): string[] {
  return [...new Set(findCountries(text).map((hit) => hit.code))];
}
