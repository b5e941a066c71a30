import type { Language } from '../domain/languages.js';
import type { IpStatus, ListingKind, PartnershipType } from '../domain/listing.js';
import type { Sector } from '../domain/sectors.js';
import { Glossary } from '../glossary/glossary.js';
import { matchForm } from '../text/normalize.js';
import { findCountries } from './countries.js';
import { PhraseMatcher, baseText, cut, type PhraseEntry } from './phrase-matcher.js';
import { PhraseClassifier } from './phrases.js';
import { findSectorWords } from './sector-words.js';
import { findStageWords, trlFromText } from './trl.js';
import type { DraftFields } from './types.js';

/**
 * Listing fields pulled out of a researcher's or founder's free-text description, in all ten languages,
 * without an LLM. Nothing is invented: a field is set only when the text says it.
 *
 * - title: the first clause, without a leading "our lab developed" / "we are looking for" cue, at most
 *   120 characters, cut at a clause or word boundary; never empty when the text has words.
 * - summary: the text, cleaned (control characters removed, spaces collapsed), at most 20 000 characters.
 * - sectors: glossary concepts → their sectors, plus plain sector words; the best one to three.
 * - trl: see core/understanding/trl.ts (numbers, then stage words with a documented table).
 * - ipStatus, partnership: the phrase tables below (written for the project).
 * - country: a country named after "based in" / "berbasis di" / "ตั้งอยู่ที่" / "có trụ sở tại" / "位于" …;
 *   else the only country the text names; else nothing.
 */

// prettier-ignore
const IP_WORDS: Record<Exclude<IpStatus, 'unknown'>, Record<Language, string[]>> = {
  unpatented: {
    en: ['no patent', 'not patented', 'unpatented', 'without a patent', 'not yet patented', 'no ip protection'],
    id: ['belum dipatenkan', 'tidak dipatenkan', 'tanpa paten', 'belum ada paten', 'tidak ada paten', 'belum punya paten'],
    ms: ['belum dipatenkan', 'tidak dipatenkan', 'tiada paten', 'tanpa paten', 'belum ada paten'],
    th: ['ยังไม่มีสิทธิบัตร', 'ไม่มีสิทธิบัตร', 'ยังไม่ได้จดสิทธิบัตร', 'ไม่ได้จดสิทธิบัตร'],
    vi: ['chưa có bằng sáng chế', 'không có bằng sáng chế', 'chưa đăng ký sáng chế', 'chưa được cấp bằng sáng chế'],
    fil: ['walang patent', 'hindi pa patentado', 'hindi patentado', 'wala pang patent'],
    km: ['មិនទាន់មានប៉ាតង់', 'គ្មានប៉ាតង់', 'មិនមានប៉ាតង់'],
    lo: ['ຍັງບໍ່ມີສິດທິບັດ', 'ບໍ່ມີສິດທິບັດ'],
    my: ['တီထွင်မှုမူပိုင်ခွင့်မရှိ', 'မူပိုင်ခွင့်မရှိ', 'မူပိုင်ခွင့်မရသေး'],
    zh: ['没有专利', '未申请专利', '无专利', '尚未申请专利', '沒有專利', '未申請專利'],
  },
  patent_pending: {
    en: ['patent pending', 'patent-pending', 'pending patent', 'patent application', 'patent applied for', 'applied for a patent', 'filed a patent', 'patent filed', 'patent has been filed'],
    id: ['permohonan paten', 'paten sedang diproses', 'sedang mengajukan paten', 'telah mengajukan paten', 'sudah mengajukan paten', 'paten dalam proses'],
    ms: ['permohonan paten', 'paten dalam proses', 'telah memfailkan paten', 'memohon paten', 'paten belum diluluskan'],
    th: ['ยื่นจดสิทธิบัตร', 'อยู่ระหว่างยื่นขอสิทธิบัตร', 'ยื่นคำขอรับสิทธิบัตร', 'อยู่ระหว่างการจดสิทธิบัตร', 'รอจดสิทธิบัตร', 'ยื่นขอสิทธิบัตร'],
    vi: ['đang đăng ký sáng chế', 'đã nộp đơn sáng chế', 'đơn đăng ký sáng chế', 'đang chờ cấp bằng sáng chế', 'đã nộp đơn đăng ký bằng sáng chế', 'đang đăng ký bằng sáng chế'],
    fil: ['nakabinbing patent', 'nag-apply ng patent', 'nag-apply na ng patent', 'nag-apply kami ng patent', 'nag-apply na kami ng patent', 'naghain ng patent', 'naghain kami ng patent', 'nag-file ng patent', 'patent pending'],
    km: ['កំពុងដាក់ពាក្យស្នើសុំប៉ាតង់', 'បានដាក់ពាក្យស្នើសុំប៉ាតង់', 'ស្នើសុំប៉ាតង់'],
    lo: ['ກຳລັງຍື່ນຂໍສິດທິບັດ', 'ຍື່ນຂໍສິດທິບັດ', 'ຢູ່ລະຫວ່າງຂໍສິດທິບັດ'],
    my: ['တီထွင်မှုမူပိုင်ခွင့်လျှောက်ထား', 'မူပိုင်ခွင့်လျှောက်ထား'],
    zh: ['专利申请中', '已申请专利', '专利正在申请', '正在申请专利', '已提交专利申请', '專利申請中', '已申請專利'],
  },
  granted_patent: {
    en: ['patented', 'granted patent', 'patent granted', 'patent was granted', 'patent has been granted', 'holds a patent', 'hold a patent', 'have a patent', 'has a patent', 'registered patent'],
    id: ['sudah dipatenkan', 'telah dipatenkan', 'paten terdaftar', 'paten telah diberikan', 'memiliki paten', 'punya paten', 'paten granted'],
    ms: ['telah dipatenkan', 'paten telah diluluskan', 'paten diberikan', 'memiliki paten', 'mempunyai paten'],
    th: ['ได้รับสิทธิบัตร', 'มีสิทธิบัตร', 'จดสิทธิบัตรแล้ว', 'ได้รับการจดสิทธิบัตร'],
    vi: ['đã được cấp bằng sáng chế', 'có bằng sáng chế', 'đã có bằng sáng chế', 'được cấp bằng độc quyền sáng chế', 'đã được cấp patent'],
    fil: ['may patent', 'patentado na', 'nabigyan ng patent', 'may patente'],
    km: ['មានប៉ាតង់', 'ទទួលបានប៉ាតង់', 'បានចុះបញ្ជីប៉ាតង់'],
    lo: ['ມີສິດທິບັດ', 'ໄດ້ຮັບສິດທິບັດ', 'ຈົດສິດທິບັດແລ້ວ'],
    my: ['တီထွင်မှုမူပိုင်ခွင့်ရရှိ', 'တီထွင်မှုမူပိုင်ခွင့်ရှိ', 'မူပိုင်ခွင့်ရရှိထား'],
    zh: ['已获专利', '已授权专利', '专利已授权', '获得专利', '拥有专利', '已获得专利授权', '已獲專利', '擁有專利', '專利已授權'],
  },
  open_source: {
    en: ['open source', 'open-source', 'opensource', 'open hardware', 'creative commons'],
    id: ['sumber terbuka', 'open source'],
    ms: ['sumber terbuka', 'open source'],
    th: ['โอเพนซอร์ส', 'โอเพ่นซอร์ส', 'รหัสเปิด', 'โอเพนซอร์ซ'],
    vi: ['mã nguồn mở', 'nguồn mở'],
    fil: ['open source', 'bukas na source'],
    km: ['កូដបើកចំហ', 'ប្រភពបើកចំហ'],
    lo: ['ໂອເພນຊອດ', 'ລະຫັດເປີດ'],
    my: ['အိုးပင်းဆို့စ်', 'ပွင့်လင်းအရင်းအမြစ်'],
    zh: ['开源', '開源', '开放源代码'],
  },
  trade_secret: {
    en: ['trade secret', 'trade secrets', 'proprietary know-how'],
    id: ['rahasia dagang'],
    ms: ['rahsia perdagangan', 'rahsia dagangan'],
    th: ['ความลับทางการค้า'],
    vi: ['bí mật kinh doanh', 'bí quyết kỹ thuật'],
    fil: ['lihim pangkalakalan', 'trade secret'],
    km: ['អាថ៌កំបាំងពាណិជ្ជកម្ម'],
    lo: ['ຄວາມລັບທາງການຄ້າ'],
    my: ['ကုန်သွယ်ရေးလျှို့ဝှက်ချက်', 'စီးပွားရေးလျှို့ဝှက်ချက်'],
    zh: ['商业秘密', '商業秘密', '技术秘密'],
  },
  copyright: {
    en: ['copyright', 'copyrighted'],
    id: ['hak cipta'],
    ms: ['hak cipta'],
    th: ['ลิขสิทธิ์'],
    vi: ['bản quyền', 'quyền tác giả'],
    fil: ['karapatang-ari', 'copyright'],
    km: ['សិទ្ធិអ្នកនិពន្ធ', 'រក្សាសិទ្ធិ'],
    lo: ['ລິຂະສິດ'],
    my: ['စာမူမူပိုင်ခွင့်', 'copyright'],
    zh: ['版权', '版權', '著作权', '著作權', '软件著作权'],
  },
};

// prettier-ignore
const PARTNERSHIP_WORDS: Record<PartnershipType, Record<Language, string[]>> = {
  licence: {
    en: ['license', 'licence', 'licensing', 'licensed', 'licensee', 'licensees', 'license agreement', 'licence agreement'],
    id: ['lisensi', 'melisensikan', 'lisensi paten'],
    ms: ['lesen', 'pelesenan', 'melesenkan'],
    th: ['อนุญาตให้ใช้สิทธิ', 'อนุญาตใช้สิทธิ', 'ใบอนุญาตให้ใช้สิทธิ', 'ไลเซนส์', 'ไลเซ่นส์', 'การอนุญาตให้ใช้สิทธิ'],
    vi: ['cấp phép', 'li-xăng', 'chuyển giao quyền sử dụng', 'cấp quyền sử dụng'],
    fil: ['lisensya', 'paglilisensya'],
    km: ['អាជ្ញាប័ណ្ណ', 'ផ្តល់អាជ្ញាប័ណ្ណ'],
    lo: ['ໃບອະນຸຍາດ', 'ອະນຸຍາດໃຫ້ນຳໃຊ້'],
    my: ['လိုင်စင်', 'လိုင်စင်ပေး'],
    zh: ['技术许可', '专利许可', '许可使用', '授权使用', '许可协议', '技術許可', '授權使用'],
  },
  joint_venture: {
    en: ['joint venture', 'joint-venture', 'joint ventures'],
    id: ['usaha patungan', 'perusahaan patungan', 'joint venture'],
    ms: ['usaha sama', 'syarikat usaha sama', 'joint venture'],
    th: ['กิจการร่วมค้า', 'บริษัทร่วมทุน', 'ร่วมทุน', 'ร่วมลงทุน'],
    vi: ['liên doanh', 'công ty liên doanh'],
    fil: ['joint venture', 'pinagsamang negosyo'],
    km: ['សហគ្រាសចម្រុះ', 'បណ្តាក់ទុនរួម', 'ការបណ្តាក់ទុនរួមគ្នា'],
    lo: ['ການຮ່ວມທຶນ', 'ຮ່ວມທຶນ', 'ບໍລິສັດຮ່ວມທຶນ'],
    my: ['ဖက်စပ်', 'ဖက်စပ်လုပ်ငန်း', 'ဖက်စပ်ကုမ္ပဏီ'],
    zh: ['合资', '合資', '合营', '合资企业'],
  },
  research_cooperation: {
    en: ['research collaboration', 'research cooperation', 'research partner', 'research partners', 'research partnership', 'joint research', 'co-development', 'r&d collaboration', 'r&d partner', 'collaborative research'],
    id: ['kerja sama riset', 'kerja sama penelitian', 'kerjasama penelitian', 'kerjasama riset', 'mitra riset', 'mitra penelitian', 'penelitian bersama', 'riset bersama'],
    ms: ['kerjasama penyelidikan', 'kerja sama penyelidikan', 'rakan kongsi penyelidikan', 'penyelidikan bersama', 'kolaborasi penyelidikan'],
    th: ['ความร่วมมือวิจัย', 'ความร่วมมือด้านการวิจัย', 'วิจัยร่วม', 'พันธมิตรวิจัย', 'ร่วมวิจัย'],
    vi: ['hợp tác nghiên cứu', 'đối tác nghiên cứu', 'nghiên cứu chung', 'cùng nghiên cứu', 'đồng phát triển'],
    fil: ['pakikipagtulungan sa pananaliksik', 'research partner', 'magkasamang pananaliksik', 'katuwang sa pananaliksik'],
    km: ['សហការស្រាវជ្រាវ', 'កិច្ចសហការស្រាវជ្រាវ', 'ដៃគូស្រាវជ្រាវ', 'ស្រាវជ្រាវរួមគ្នា'],
    lo: ['ການຮ່ວມມືຄົ້ນຄວ້າ', 'ຮ່ວມມືດ້ານການຄົ້ນຄວ້າ', 'ຄົ້ນຄວ້າຮ່ວມກັນ', 'ຄູ່ຮ່ວມມືດ້ານຄົ້ນຄວ້າ'],
    my: ['သုတေသနပူးပေါင်းဆောင်ရွက်', 'ပူးတွဲသုတေသန', 'သုတေသနမိတ်ဖက်'],
    zh: ['研究合作', '合作研究', '联合研发', '联合研究', '产学研合作', '研究合作伙伴', '聯合研發', '合作研發'],
  },
  technical_cooperation: {
    en: ['technical cooperation', 'technical collaboration', 'technical assistance', 'technical support', 'technical partner', 'engineering support'],
    id: ['kerja sama teknis', 'kerjasama teknis', 'bantuan teknis', 'dukungan teknis', 'mitra teknis'],
    ms: ['kerjasama teknikal', 'kerja sama teknikal', 'bantuan teknikal', 'sokongan teknikal', 'rakan teknikal'],
    th: ['ความร่วมมือทางเทคนิค', 'ความร่วมมือด้านเทคนิค', 'ความช่วยเหลือทางเทคนิค', 'สนับสนุนทางเทคนิค', 'พันธมิตรด้านเทคนิค'],
    vi: ['hợp tác kỹ thuật', 'hỗ trợ kỹ thuật', 'trợ giúp kỹ thuật', 'đối tác kỹ thuật'],
    fil: ['teknikal na kooperasyon', 'teknikal na tulong', 'technical assistance', 'teknikal na suporta'],
    km: ['សហប្រតិបត្តិការបច្ចេកទេស', 'ជំនួយបច្ចេកទេស', 'គាំទ្របច្ចេកទេស'],
    lo: ['ການຮ່ວມມືດ້ານເຕັກນິກ', 'ການຊ່ວຍເຫຼືອດ້ານເຕັກນິກ', 'ສະໜັບສະໜູນດ້ານເຕັກນິກ'],
    my: ['နည်းပညာပူးပေါင်းဆောင်ရွက်', 'နည်းပညာအကူအညီ', 'နည်းပညာပံ့ပိုး'],
    zh: ['技术合作', '技術合作', '技术支持', '技术援助', '技术服务'],
  },
  investment: {
    en: ['investment', 'investor', 'investors', 'invest', 'funding', 'seed funding', 'venture capital', 'equity investment'],
    id: ['investasi', 'investor', 'pendanaan', 'modal ventura', 'penanaman modal'],
    ms: ['pelaburan', 'pelabur', 'pembiayaan', 'modal teroka'],
    th: ['การลงทุน', 'นักลงทุน', 'ลงทุน', 'เงินทุน', 'ผู้ลงทุน'],
    vi: ['đầu tư', 'nhà đầu tư', 'gọi vốn', 'vốn đầu tư'],
    fil: ['pamumuhunan', 'mamumuhunan', 'investor', 'puhunan'],
    km: ['វិនិយោគ', 'ការវិនិយោគ', 'វិនិយោគិន'],
    lo: ['ການລົງທຶນ', 'ນັກລົງທຶນ', 'ລົງທຶນ'],
    my: ['ရင်းနှီးမြှုပ်နှံ', 'ရင်းနှီးမြှုပ်နှံသူ', 'ရန်ပုံငွေ'],
    zh: ['投资', '投資', '融资', '融資', '投资人', '风险投资', '天使投资'],
  },
  sale: {
    en: ['for sale', 'want to sell', 'looking to sell', 'sell the technology', 'sell our technology', 'sell the patent', 'sell the ip', 'outright sale', 'want to buy', 'looking to buy', 'buy the technology', 'buy a technology', 'purchase the technology', 'purchase a technology', 'acquire the technology'],
    id: ['dijual', 'ingin menjual', 'mau menjual', 'menjual teknologi', 'ingin membeli', 'mau membeli', 'membeli teknologi', 'pembelian teknologi', 'jual beli'],
    ms: ['untuk dijual', 'ingin menjual', 'mahu menjual', 'menjual teknologi', 'ingin membeli', 'mahu membeli', 'membeli teknologi', 'pembelian teknologi'],
    th: ['ต้องการขาย', 'อยากขาย', 'ขายเทคโนโลยี', 'ขายสิทธิ', 'ต้องการซื้อ', 'อยากซื้อ', 'ซื้อเทคโนโลยี', 'การซื้อระบบ', 'ซื้อขายเทคโนโลยี'],
    vi: ['muốn bán', 'bán công nghệ', 'bán lại công nghệ', 'để bán', 'muốn mua', 'mua công nghệ', 'mua lại công nghệ', 'chuyển nhượng'],
    fil: ['ibenta', 'ipagbili', 'ibebenta', 'bilhin', 'gustong bumili', 'gustong magbenta'],
    km: ['ចង់លក់', 'លក់បច្ចេកវិទ្យា', 'លក់ផ្តាច់', 'ចង់ទិញ', 'ទិញបច្ចេកវិទ្យា'],
    lo: ['ຢາກຂາຍ', 'ຕ້ອງການຂາຍ', 'ຂາຍເຕັກໂນໂລຊີ', 'ຢາກຊື້', 'ຕ້ອງການຊື້', 'ຊື້ເຕັກໂນໂລຊີ'],
    my: ['ရောင်းချလို', 'ရောင်းချင်', 'နည်းပညာရောင်း', 'ဝယ်ယူလို', 'ဝယ်ချင်', 'နည်းပညာဝယ်'],
    zh: ['出售', '购买', '转让', '出售技术', '购买技术', '技术转让', '出讓', '購買', '轉讓'],
  },
};

/** Words before a country that say where the author is ("based in Thailand"). Written for the project. */
const OWN_LOCATION_BEFORE = [
  'based in', 'located in', 'headquartered in', 'we are in', "we're in", 'we are from', "we're from", 'i am from', "i'm from",
  'our company is in', 'our lab is in', 'a company in', 'a university in', 'a startup in',
  'berbasis di', 'berlokasi di', 'berkantor di', 'berkedudukan di', 'kami dari', 'saya dari',
  'berpangkalan di', 'terletak di', 'beribu pejabat di',
  'ตั้งอยู่ที่', 'ตั้งอยู่ใน', 'เราอยู่ที่', 'ผมอยู่ที่', 'ฉันอยู่ที่', 'มาจาก', 'สำนักงานใหญ่อยู่ที่',
  'có trụ sở tại', 'có trụ sở ở', 'đặt tại', 'chúng tôi ở', 'tôi ở', 'chúng tôi đến từ', 'tôi đến từ',
  'nakabase sa', 'nakabase kami sa', 'nakabase ako sa', 'matatagpuan sa', 'matatagpuan kami sa', 'mula kami sa', 'mula ako sa', 'kami ay mula sa', 'ako ay mula sa', 'galing kami sa', 'taga',
  'មានទីតាំងនៅ', 'ស្ថិតនៅ', 'យើងនៅ', 'ខ្ញុំមកពី', 'យើងមកពី',
  'ຕັ້ງຢູ່', 'ພວກເຮົາຢູ່', 'ຂ້ອຍຢູ່', 'ມາຈາກ',
  'ကျွန်တော်တို့က', 'ကျွန်ုပ်တို့သည်',
  '位于', '位於', '总部在', '总部位于', '總部位於', '我们在', '我們在', '我在', '来自', '來自', '我们来自',
].map((phrase) => matchForm(phrase));
/** Words after a country that say the same (Burmese puts them after the name: "မြန်မာနိုင်ငံ အခြေစိုက်"). */
const OWN_LOCATION_AFTER = ['အခြေစိုက်', 'တွင်ရှိသော', 'မှာရှိတဲ့', 'based', '-based'].map((phrase) => matchForm(phrase));
/** Words that may sit between the marker and the name ("based in the Philippines", "ตั้งอยู่ที่ประเทศไทย"). */
const FILLER_BEFORE_NAME = /(?:\s|the|ประเทศ|nước|negara|bansa|ប្រទេស|ປະເທດ|နိုင်ငံ|国|-)*$/u;

let ipMatcher: PhraseMatcher<IpStatus> | undefined;
let partnershipMatcher: PhraseMatcher<PartnershipType> | undefined;

function tableMatcher<T extends string>(table: Record<T, Record<Language, string[]>>): PhraseMatcher<T> {
  const entries: PhraseEntry<T>[] = [];
  for (const [value, byLanguage] of Object.entries(table) as Array<[T, Record<Language, string[]>]>) {
    for (const [language, list] of Object.entries(byLanguage)) {
      for (const phrase of list) entries.push({ phrase, value, exact: language === 'vi' && !phrase.includes(' ') });
    }
  }
  return new PhraseMatcher(entries);
}

/** The IP status a text states, first mention first ("no patent" wins over the "patent" inside it). */
export function ipStatusFromText(text: string): IpStatus | undefined {
  ipMatcher ??= tableMatcher(IP_WORDS);
  return ipMatcher.find(text)[0]?.value;
}

/** Partnership types a text mentions, in order of first mention. */
export function partnershipFromText(text: string): PartnershipType[] {
  partnershipMatcher ??= tableMatcher(PARTNERSHIP_WORDS);
  // "already on the market" (ວາງຂາຍແລ້ວ, sudah dijual) is a maturity, not an offer to sell.
  const stages = findStageWords(text);
  const hits = partnershipMatcher.find(text).filter((hit) => !stages.some((s) => hit.start < s.end && s.start < hit.end));
  return [...new Set(hits.map((hit) => hit.value))];
}

/** The author's country: after a "based in" marker, else the only country named, else undefined. */
export function countryFromText(text: string): string | undefined {
  const hits = findCountries(text);
  if (hits.length === 0) return undefined;
  const base = [...baseText(text)];
  for (const hit of hits) {
    const before = matchForm(base.slice(Math.max(0, hit.start - 40), hit.start).join('')).replace(FILLER_BEFORE_NAME, '');
    if (OWN_LOCATION_BEFORE.some((marker) => before.endsWith(marker))) return hit.code;
    const after = matchForm(base.slice(hit.end, hit.end + 16).join('')).replace(/^(?:\s|နိုင်ငံ)*/u, '');
    if (OWN_LOCATION_AFTER.some((marker) => after.startsWith(marker))) return hit.code;
  }
  const codes = new Set(hits.map((hit) => hit.code));
  return codes.size === 1 ? hits[0]!.code : undefined;
}

/**
 * Sectors from glossary concepts and sector words: each concept found votes once for each of its sectors,
 * a plain sector word ("agriculture", "y tế") votes for a sector no concept named; the best one to three,
 * each with at least a quarter of the top votes, ties in order of first mention. Words about maturity, IP
 * and partnership ("prototype", "patent", "licence") are taken out first: they say nothing about the
 * field ("prototype" would otherwise vote for manufacturing).
 */
export function sectorsFromText(text: string, language: Language, glossary: Glossary): Sector[] {
  ipMatcher ??= tableMatcher(IP_WORDS);
  partnershipMatcher ??= tableMatcher(PARTNERSHIP_WORDS);
  const about = cut(text, [...findStageWords(text), ...ipMatcher.find(text), ...partnershipMatcher.find(text)]);
  const votes = new Map<Sector, { count: number; order: number }>();
  const vote = (sector: Sector) => {
    const current = votes.get(sector);
    if (current) current.count++;
    else votes.set(sector, { count: 1, order: votes.size });
  };
  for (const id of glossary.conceptIds(about, language)) for (const sector of glossary.concepts.get(id)?.sectors ?? []) vote(sector);
  const named = new Set(votes.keys());
  for (const hit of findSectorWords(about)) if (!named.has(hit.value)) vote(hit.value);
  const ranked = [...votes.entries()].sort((a, b) => b[1].count - a[1].count || a[1].order - b[1].order);
  const top = ranked[0]?.[1].count ?? 0;
  return ranked
    .filter(([, { count }]) => count >= top / 4)
    .slice(0, 3)
    .map(([sector]) => sector);
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u2028\u2029\uFEFF]/gu;
export const MAX_SUMMARY_CHARS = 20_000;
export const MAX_TITLE_CHARS = 120;

/** The text with control characters removed and white space tidied, at most 20 000 characters. */
export function cleanText(text: string): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .replace(/[^\S\n]+/gu, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return [...cleaned].slice(0, MAX_SUMMARY_CHARS).join('').trim();
}

/** Sentence ends in our scripts (a full stop must be followed by a space or the end, so "3.5 kW" survives). */
const SENTENCE_END = /[.!?](?=\s|$)|[。！？\n។៕။]/u;
/** Clause breaks, used when the first sentence is still too long. */
const CLAUSE_BREAK = /[,;:，；：、၊]\s*|\s[-–—]\s|\s\(/gu;

const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

function cutAtWord(text: string, limit: number): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  let end = 0;
  for (const segment of wordSegmenter.segment(text)) {
    const segmentEnd = [...text.slice(0, segment.index + segment.segment.length)].length;
    if (segmentEnd > limit - 1) break;
    end = segmentEnd;
  }
  const head = chars.slice(0, end || limit - 1).join('').replace(/[\s,;:，；、-]+$/u, '');
  return `${head}…`;
}

/** A short title: the first clause of the description, without a leading cue phrase. */
export function titleFromText(text: string, classifier: PhraseClassifier = PhraseClassifier.shared()): string | undefined {
  const cleaned = cleanText(text).replace(/\n+/g, '\n');
  if (!/[\p{L}\p{N}]/u.test(cleaned)) return undefined;
  let body = cleaned;
  const cue = classifier.leadingCue(body);
  if (cue) {
    const rest = [...body]
      .slice(cue.end)
      .join('')
      .replace(/^[\s,:;：，-]+/u, '')
      // An article or connective the cue leaves behind ("a", "the", "ng", "yang", "một").
      .replace(/^(?:(?:a|an|the|that|which|ng|na|yang|sebuah|satu|untuk|para sa|để|một|là)\s+|一种|一種|一个|一個|一款|一套)/iu, '');
    if (/[\p{L}\p{N}]/u.test(rest)) body = rest;
  }
  const sentenceEnd = body.search(SENTENCE_END);
  let title = sentenceEnd > 0 ? body.slice(0, sentenceEnd) : body;
  // Thai and Lao end sentences with a space, not a mark.
  const spaced = /[\p{Script=Thai}\p{Script=Lao}][\p{M}]* (?=[\p{Script=Thai}\p{Script=Lao}])/gu;
  for (const match of title.matchAll(spaced)) {
    const end = match.index + match[0].length - 1;
    if ([...title.slice(0, end)].length >= 10) {
      title = title.slice(0, end);
      break;
    }
  }
  if ([...title].length > MAX_TITLE_CHARS) {
    let best = -1;
    for (const match of title.matchAll(CLAUSE_BREAK)) {
      const length = [...title.slice(0, match.index)].length;
      if (length >= 15 && length <= MAX_TITLE_CHARS) best = match.index;
    }
    title = best > 0 ? title.slice(0, best) : cutAtWord(title, MAX_TITLE_CHARS);
  }
  title = title.replace(/[\s,;:，；、.-]+$/u, '').trim();
  if (!title) title = cutAtWord(cleaned, MAX_TITLE_CHARS);
  return title.charAt(0).toLocaleUpperCase() + title.slice(1);
}

/** All the fields a description supports (see the file comment). */
export function extractFields(
  text: string,
  kind: ListingKind,
  language: Language,
  glossary: Glossary = Glossary.shared(),
  classifier: PhraseClassifier = PhraseClassifier.shared(),
): DraftFields {
  const summary = cleanText(typeof text === 'string' ? text : '');
  const fields: DraftFields = { kind };
  if (!/[\p{L}\p{N}]/u.test(summary)) return fields;
  fields.summary = summary;
  const title = titleFromText(summary, classifier);
  if (title) fields.title = title;
  const sectors = sectorsFromText(summary, language, glossary);
  if (sectors.length) fields.sectors = sectors;
  const trl = trlFromText(summary);
  if (trl !== undefined) fields.trl = trl;
  const ipStatus = ipStatusFromText(summary);
  if (ipStatus) fields.ipStatus = ipStatus;
  const partnership = partnershipFromText(summary);
  if (partnership.length) fields.partnership = partnership;
  const country = countryFromText(summary);
  if (country) fields.country = country;
  return fields;
}
