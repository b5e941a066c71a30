import type { ListingKind, ListingStatus } from '../domain/listing.js';
import type { Language } from '../domain/languages.js';
import type { StatsLanguage } from './messages.js';
import type { RelativePeriod } from './periods.js';
import type { StatsGroupBy, StatsMetric } from './query.js';

/**
 * Words of statistics questions in English, Indonesian, Malay, Thai and Vietnamese, written for the
 * project. Countries and sectors are not here: they come from the matchmaking core's own multilingual
 * word lists (core/understanding/countries.ts, sector-words.ts). Phrases are matched with
 * core/understanding/phrase-matcher.ts (case-insensitive, Latin diacritics folded, longest phrase wins).
 */

type Words = Record<StatsLanguage, string[]>;

/** Words that name what is counted. `languages` is handled apart (it is also a group-by). */
// prettier-ignore
export const METRIC_WORDS: Record<Exclude<StatsMetric, 'languages'>, Words> = {
  listings: {
    en: ['listings', 'listing', 'entries', 'posts', 'postings'],
    id: ['listing', 'daftar teknologi', 'entri'],
    ms: ['penyenaraian', 'senarai teknologi'],
    th: ['รายการ', 'ประกาศ', 'รายการเทคโนโลยี'],
    vi: ['tin đăng', 'bài đăng', 'hồ sơ công nghệ'],
  },
  searches: {
    en: ['searches', 'search', 'searched', 'queries', 'lookups'],
    id: ['pencarian', 'kueri'],
    ms: ['carian', 'pencarian'],
    th: ['การค้นหา', 'ค้นหา'],
    vi: ['lượt tìm kiếm', 'tìm kiếm', 'truy vấn'],
  },
  matches_shown: {
    en: ['matches shown', 'shown matches', 'matches', 'match results', 'results shown', 'impressions'],
    id: ['kecocokan yang ditampilkan', 'kecocokan', 'hasil pencocokan', 'hasil yang ditampilkan'],
    ms: ['padanan yang dipaparkan', 'padanan', 'hasil padanan'],
    th: ['ผลการจับคู่ที่แสดง', 'ผลการจับคู่', 'การจับคู่ที่แสดง', 'ผลลัพธ์ที่แสดง', 'การจับคู่'],
    vi: ['kết quả ghép nối', 'kết quả đã hiển thị', 'kết quả được hiển thị', 'lượt hiển thị', 'kết quả phù hợp'],
  },
  introductions_requested: {
    en: ['introductions', 'introduction requests', 'introduction', 'intros', 'intro requests', 'introductions requested', 'requested introductions'],
    id: ['permintaan perkenalan', 'perkenalan'],
    ms: ['permintaan perkenalan', 'perkenalan'],
    th: ['คำขอแนะนำตัว', 'การขอแนะนำตัว', 'การแนะนำตัว', 'คำขอแนะนำ', 'การแนะนำ'],
    vi: ['yêu cầu giới thiệu', 'lời giới thiệu', 'giới thiệu'],
  },
  introductions_accepted: {
    en: ['accepted introductions', 'introductions accepted', 'successful introductions'],
    id: ['perkenalan yang diterima', 'perkenalan diterima'],
    ms: ['perkenalan yang diterima', 'perkenalan diterima'],
    th: ['การแนะนำที่ได้รับการตอบรับ', 'การแนะนำที่ตอบรับ', 'การแนะนำตัวที่ได้รับการตอบรับ'],
    vi: ['giới thiệu được chấp nhận', 'giới thiệu thành công'],
  },
  unmet_needs: {
    en: ['unmet needs', 'unmet', 'unanswered needs', 'unmatched needs', 'needs without a match', 'needs with no match', 'needs without matches', 'unfulfilled needs'],
    id: ['kebutuhan yang belum terpenuhi', 'kebutuhan belum terpenuhi', 'belum terpenuhi', 'tidak terpenuhi', 'kebutuhan tanpa kecocokan', 'belum ada kecocokan'],
    ms: ['keperluan yang belum dipenuhi', 'keperluan belum dipenuhi', 'belum dipenuhi', 'tidak dipenuhi', 'keperluan tanpa padanan', 'tiada padanan'],
    th: ['ความต้องการที่ยังไม่ได้รับการตอบสนอง', 'ยังไม่ได้รับการตอบสนอง', 'ยังไม่มีผู้ตอบสนอง', 'ยังไม่ถูกจับคู่', 'ไม่มีข้อเสนอที่ตรง'],
    vi: ['nhu cầu chưa được đáp ứng', 'chưa được đáp ứng', 'chưa đáp ứng', 'nhu cầu chưa có kết nối', 'chưa được ghép nối'],
  },
  match_funnel: {
    en: ['match funnel', 'matching funnel', 'conversion funnel', 'funnel'],
    id: ['corong pencocokan', 'corong konversi', 'corong'],
    ms: ['corong padanan', 'corong penukaran', 'corong'],
    th: ['กรวยการจับคู่', 'กรวยการแปลง', 'กรวย', 'ฟันเนล'],
    vi: ['phễu ghép nối', 'phễu kết nối', 'phễu chuyển đổi', 'phễu'],
  },
};

/** "accepted" next to introductions. */
// prettier-ignore
export const ACCEPTED_WORDS: Words = {
  en: ['accepted', 'successful'],
  id: ['diterima', 'berhasil'],
  ms: ['diterima', 'berjaya'],
  th: ['ได้รับการตอบรับ', 'ตอบรับ'],
  vi: ['được chấp nhận', 'đã chấp nhận', 'chấp nhận', 'thành công'],
};

/** "languages" alone: the languages metric, or a group-by when something else is counted. */
// prettier-ignore
export const LANGUAGE_WORDS: Words = {
  en: ['languages', 'language'],
  id: ['bahasa'],
  ms: ['bahasa'],
  th: ['ภาษา'],
  vi: ['ngôn ngữ'],
};

/** People (chat users): the `languages` metric when nothing else is counted ("users by channel"). */
// prettier-ignore
export const PEOPLE_WORDS: Words = {
  en: ['people', 'users', 'chat users', 'persons'],
  id: ['orang', 'pengguna'],
  ms: ['orang', 'pengguna', 'orang ramai'],
  th: ['ผู้ใช้', 'ผู้ใช้งาน', 'คน'],
  vi: ['người dùng', 'mọi người', 'người'],
};

// prettier-ignore
export const KIND_WORDS: Record<ListingKind, Words> = {
  offer: {
    en: ['offers', 'technology offers', 'tech offers', 'technologies offered'],
    id: ['penawaran', 'penawaran teknologi'],
    ms: ['tawaran', 'tawaran teknologi'],
    th: ['ข้อเสนอ', 'ข้อเสนอเทคโนโลยี'],
    vi: ['công nghệ chào bán', 'chào bán', 'nguồn cung công nghệ'],
  },
  need: {
    en: ['needs', 'technology needs', 'tech needs', 'requests'],
    id: ['kebutuhan', 'kebutuhan teknologi'],
    ms: ['keperluan', 'keperluan teknologi'],
    th: ['ความต้องการ', 'ความต้องการเทคโนโลยี'],
    vi: ['nhu cầu', 'nhu cầu công nghệ'],
  },
  expertise: {
    en: ['expertise', 'experts', 'researchers'],
    id: ['keahlian', 'pakar'],
    ms: ['kepakaran', 'pakar'],
    th: ['ความเชี่ยวชาญ', 'ผู้เชี่ยวชาญ'],
    vi: ['chuyên môn', 'chuyên gia'],
  },
};

// prettier-ignore
export const STATUS_WORDS: Record<ListingStatus, Words> = {
  published: {
    en: ['published', 'live'],
    id: ['diterbitkan', 'terbit'],
    ms: ['diterbitkan'],
    th: ['เผยแพร่แล้ว', 'ที่เผยแพร่'],
    vi: ['đã đăng', 'đã xuất bản'],
  },
  pending: {
    en: ['pending', 'awaiting review', 'waiting for review', 'under review', 'in review'],
    id: ['menunggu persetujuan', 'menunggu tinjauan', 'tertunda'],
    ms: ['menunggu kelulusan', 'menunggu semakan'],
    th: ['รอตรวจสอบ', 'รออนุมัติ', 'รอพิจารณา'],
    vi: ['chờ duyệt', 'đang chờ duyệt'],
  },
  draft: {
    en: ['draft', 'drafts'],
    id: ['draf'],
    ms: ['draf'],
    th: ['ฉบับร่าง'],
    vi: ['bản nháp'],
  },
  rejected: {
    en: ['rejected', 'declined'],
    id: ['ditolak'],
    ms: ['ditolak'],
    th: ['ถูกปฏิเสธ', 'ไม่อนุมัติ'],
    vi: ['bị từ chối'],
  },
  archived: {
    en: ['archived', 'withdrawn'],
    id: ['diarsipkan', 'ditarik'],
    ms: ['diarkibkan', 'ditarik balik'],
    th: ['เก็บถาวร', 'ถอนแล้ว'],
    vi: ['đã lưu trữ', 'đã rút'],
  },
};

// prettier-ignore
export const GROUP_WORDS: Record<StatsGroupBy, Words> = {
  country: {
    en: ['by country', 'per country', 'each country', 'which countries', 'which country', 'what countries', 'countries', 'by countries', 'country by country'],
    id: ['per negara', 'menurut negara', 'berdasarkan negara', 'tiap negara', 'setiap negara', 'negara mana'],
    ms: ['mengikut negara', 'setiap negara', 'bagi setiap negara', 'negara mana'],
    th: ['แยกตามประเทศ', 'ตามประเทศ', 'รายประเทศ', 'แต่ละประเทศ', 'ประเทศไหน', 'ประเทศใด'],
    vi: ['theo quốc gia', 'theo nước', 'từng quốc gia', 'mỗi quốc gia', 'quốc gia nào', 'nước nào', 'các quốc gia'],
  },
  sector: {
    en: ['by sector', 'per sector', 'each sector', 'which sectors', 'which sector', 'what sectors', 'sectors', 'by field', 'by industry', 'per industry'],
    id: ['per sektor', 'menurut sektor', 'berdasarkan sektor', 'tiap sektor', 'setiap sektor', 'sektor mana', 'sektor teratas', 'per bidang', 'bidang mana'],
    ms: ['mengikut sektor', 'setiap sektor', 'sektor mana', 'sektor teratas', 'per sektor'],
    th: ['แยกตามสาขา', 'ตามสาขา', 'รายสาขา', 'แต่ละสาขา', 'สาขาไหน', 'สาขาใด', 'สาขาที่', 'ด้านไหน'],
    vi: ['theo lĩnh vực', 'theo ngành', 'từng lĩnh vực', 'mỗi lĩnh vực', 'lĩnh vực nào', 'ngành nào', 'các lĩnh vực', 'các ngành'],
  },
  kind: {
    en: ['by kind', 'by type', 'per kind', 'per type', 'each kind', 'each type'],
    id: ['per jenis', 'menurut jenis', 'berdasarkan jenis'],
    ms: ['mengikut jenis'],
    th: ['แยกตามประเภท', 'ตามประเภท', 'รายประเภท'],
    vi: ['theo loại', 'từng loại'],
  },
  status: {
    en: ['by status', 'per status', 'statuses'],
    id: ['per status', 'menurut status', 'berdasarkan status'],
    ms: ['mengikut status'],
    th: ['แยกตามสถานะ', 'ตามสถานะ'],
    vi: ['theo trạng thái'],
  },
  trl: {
    en: ['by trl', 'per trl', 'by trl level', 'by maturity', 'by readiness', 'trl levels'],
    id: ['per trl', 'menurut trl', 'berdasarkan trl', 'per tkt'],
    ms: ['mengikut trl'],
    th: ['แยกตาม trl', 'ตาม trl', 'ราย trl', 'แยกตามระดับ trl'],
    vi: ['theo trl', 'theo mức trl', 'theo mức độ sẵn sàng'],
  },
  month: {
    en: ['per month', 'by month', 'each month', 'every month', 'monthly', 'month by month', 'a month'],
    id: ['per bulan', 'setiap bulan', 'tiap bulan', 'bulanan', 'menurut bulan'],
    ms: ['setiap bulan', 'mengikut bulan', 'bulanan', 'sebulan'],
    th: ['ต่อเดือน', 'รายเดือน', 'แยกตามเดือน', 'แต่ละเดือน', 'เดือนละ'],
    vi: ['theo tháng', 'mỗi tháng', 'hàng tháng', 'từng tháng'],
  },
  language: {
    en: ['by language', 'per language', 'each language', 'which languages', 'which language', 'what languages', 'what language'],
    id: ['per bahasa', 'menurut bahasa', 'berdasarkan bahasa', 'bahasa apa', 'bahasa mana'],
    ms: ['mengikut bahasa', 'setiap bahasa', 'bahasa apa', 'bahasa apakah'],
    th: ['แยกตามภาษา', 'ตามภาษา', 'ภาษาอะไร', 'ภาษาไหน', 'แต่ละภาษา'],
    vi: ['theo ngôn ngữ', 'ngôn ngữ nào', 'những ngôn ngữ nào', 'từng ngôn ngữ'],
  },
  channel: {
    en: ['by channel', 'per channel', 'which channels', 'by platform', 'per platform', 'which platforms'],
    id: ['per kanal', 'menurut kanal', 'per platform', 'platform mana'],
    ms: ['mengikut saluran', 'mengikut platform'],
    th: ['แยกตามช่องทาง', 'ตามช่องทาง', 'แพลตฟอร์มไหน'],
    vi: ['theo kênh', 'theo nền tảng', 'kênh nào'],
  },
};

/** Languages named as a filter ("searches in Thai", "pencarian dalam bahasa Vietnam"). */
// prettier-ignore
export const LANGUAGE_NAME_WORDS: Partial<Record<Language, Words>> = {
  en: { en: ['in english', 'english-language'], id: ['bahasa inggris'], ms: ['bahasa inggeris'], th: ['ภาษาอังกฤษ'], vi: ['tiếng anh'] },
  id: { en: ['in indonesian', 'in bahasa indonesia', 'indonesian-language'], id: ['bahasa indonesia'], ms: ['bahasa indonesia'], th: ['ภาษาอินโดนีเซีย'], vi: ['tiếng indonesia'] },
  ms: { en: ['in malay', 'malay-language'], id: ['bahasa melayu'], ms: ['bahasa melayu'], th: ['ภาษามลายู', 'ภาษามาเลย์'], vi: ['tiếng mã lai', 'tiếng malaysia'] },
  th: { en: ['in thai', 'thai-language'], id: ['bahasa thailand', 'bahasa thai'], ms: ['bahasa thai'], th: ['ภาษาไทย'], vi: ['tiếng thái'] },
  vi: { en: ['in vietnamese', 'vietnamese-language'], id: ['bahasa vietnam'], ms: ['bahasa vietnam'], th: ['ภาษาเวียดนาม'], vi: ['tiếng việt'] },
  fil: { en: ['in filipino', 'in tagalog'], id: ['bahasa filipina', 'bahasa tagalog'], ms: ['bahasa filipina'], th: ['ภาษาฟิลิปปินส์', 'ภาษาตากาล็อก'], vi: ['tiếng philippines', 'tiếng tagalog'] },
  km: { en: ['in khmer'], id: ['bahasa khmer'], ms: ['bahasa khmer'], th: ['ภาษาเขมร'], vi: ['tiếng khmer'] },
  lo: { en: ['in lao'], id: ['bahasa laos'], ms: ['bahasa laos'], th: ['ภาษาลาว'], vi: ['tiếng lào'] },
  my: { en: ['in burmese', 'in myanmar'], id: ['bahasa myanmar', 'bahasa burma'], ms: ['bahasa myanmar'], th: ['ภาษาพม่า'], vi: ['tiếng miến điện', 'tiếng myanmar'] },
  zh: { en: ['in chinese', 'in mandarin'], id: ['bahasa mandarin', 'bahasa tionghoa'], ms: ['bahasa cina', 'bahasa mandarin'], th: ['ภาษาจีน'], vi: ['tiếng trung', 'tiếng hoa'] },
};

// prettier-ignore
export const RELATIVE_WORDS: Record<RelativePeriod, Words> = {
  this_year: {
    en: ['this year', 'year to date', 'ytd', 'so far this year', 'since the start of the year', 'since the beginning of the year', 'this calendar year'],
    id: ['tahun ini', 'sejak awal tahun'],
    ms: ['tahun ini', 'sejak awal tahun'],
    th: ['ปีนี้', 'ตั้งแต่ต้นปี'],
    vi: ['năm nay', 'từ đầu năm'],
  },
  last_year: {
    en: ['last year', 'previous year'],
    id: ['tahun lalu', 'tahun kemarin'],
    ms: ['tahun lepas', 'tahun lalu'],
    th: ['ปีที่แล้ว', 'ปีก่อน', 'ปีที่ผ่านมา'],
    vi: ['năm ngoái', 'năm trước', 'năm qua'],
  },
  this_quarter: {
    en: ['this quarter', 'current quarter'],
    id: ['kuartal ini', 'triwulan ini'],
    ms: ['suku tahun ini', 'suku ini'],
    th: ['ไตรมาสนี้'],
    vi: ['quý này'],
  },
  last_quarter: {
    en: ['last quarter', 'previous quarter'],
    id: ['kuartal lalu', 'triwulan lalu', 'kuartal sebelumnya', 'triwulan sebelumnya'],
    ms: ['suku tahun lepas', 'suku lepas', 'suku tahun lalu'],
    th: ['ไตรมาสที่แล้ว', 'ไตรมาสก่อน', 'ไตรมาสที่ผ่านมา'],
    vi: ['quý trước', 'quý vừa qua'],
  },
  this_month: {
    en: ['this month', 'current month'],
    id: ['bulan ini'],
    ms: ['bulan ini'],
    th: ['เดือนนี้'],
    vi: ['tháng này'],
  },
  last_month: {
    en: ['last month', 'previous month'],
    id: ['bulan lalu', 'bulan kemarin'],
    ms: ['bulan lepas', 'bulan lalu'],
    th: ['เดือนที่แล้ว', 'เดือนก่อน', 'เดือนที่ผ่านมา'],
    vi: ['tháng trước', 'tháng vừa qua'],
  },
  this_week: {
    en: ['this week'],
    id: ['minggu ini', 'pekan ini'],
    ms: ['minggu ini'],
    th: ['สัปดาห์นี้', 'อาทิตย์นี้'],
    vi: ['tuần này'],
  },
  last_week: {
    en: ['last week', 'previous week'],
    id: ['minggu lalu', 'pekan lalu'],
    ms: ['minggu lepas', 'minggu lalu'],
    th: ['สัปดาห์ที่แล้ว', 'อาทิตย์ที่แล้ว', 'สัปดาห์ก่อน'],
    vi: ['tuần trước', 'tuần vừa qua'],
  },
  today: {
    en: ['today'],
    id: ['hari ini'],
    ms: ['hari ini'],
    th: ['วันนี้'],
    vi: ['hôm nay'],
  },
  yesterday: {
    en: ['yesterday'],
    id: ['kemarin'],
    ms: ['semalam', 'kelmarin'],
    th: ['เมื่อวานนี้', 'เมื่อวาน'],
    vi: ['hôm qua'],
  },
};

/** "ever", "so far": no period. */
// prettier-ignore
export const ALL_TIME_WORDS: Words = {
  en: ['all time', 'ever', 'so far', 'to date', 'overall', 'in total', 'since launch', 'since the beginning'],
  id: ['sepanjang waktu', 'selama ini', 'sejauh ini', 'keseluruhan', 'sejak awal'],
  ms: ['sepanjang masa', 'setakat ini', 'keseluruhan', 'sejak awal'],
  th: ['ตลอดเวลา', 'ทั้งหมดที่ผ่านมา', 'ตั้งแต่เริ่ม'],
  vi: ['từ trước đến nay', 'từ trước tới nay', 'từ đầu đến giờ', 'tính đến nay', 'tổng cộng'],
};

/** Before a date: an open period starting then. Elsewhere these are small words ("offers from Vietnam"). */
// prettier-ignore
export const SINCE_WORDS: Words = {
  en: ['since', 'from', 'starting', 'starting from', 'starting in'],
  id: ['sejak', 'dari', 'mulai', 'mulai dari'],
  ms: ['sejak', 'dari', 'bermula', 'mulai'],
  th: ['ตั้งแต่', 'นับตั้งแต่', 'จาก', 'เริ่มจาก'],
  vi: ['từ', 'kể từ', 'bắt đầu từ'],
};

/** Between two dates: "from January to March". */
// prettier-ignore
export const UNTIL_WORDS: Words = {
  en: ['to', 'until', 'till', 'through', 'up to'],
  id: ['sampai', 'hingga', 'sampai dengan'],
  ms: ['hingga', 'sehingga', 'sampai'],
  th: ['ถึง', 'จนถึง'],
  vi: ['đến', 'tới', 'cho đến'],
};

/** Before a date: "in May", "during March" (only matters for month names that are everyday words). */
// prettier-ignore
export const DURING_WORDS: Words = {
  en: ['in', 'during'],
  id: ['pada', 'selama'],
  ms: ['pada', 'semasa'],
  th: ['ใน', 'ช่วง'],
  vi: ['trong', 'vào'],
};

/** Month names; Vietnamese months are numbered ("tháng 1"). */
// prettier-ignore
export const MONTH_WORDS: Words[] = [
  { en: ['january', 'jan'], id: ['januari'], ms: ['januari'], th: ['มกราคม', 'ม.ค.'], vi: ['tháng 1', 'tháng 01', 'tháng một', 'tháng giêng'] },
  { en: ['february', 'feb'], id: ['februari'], ms: ['februari'], th: ['กุมภาพันธ์', 'ก.พ.'], vi: ['tháng 2', 'tháng 02', 'tháng hai'] },
  { en: ['march'], id: ['maret'], ms: ['mac'], th: ['มีนาคม', 'มี.ค.'], vi: ['tháng 3', 'tháng 03', 'tháng ba'] },
  { en: ['april', 'apr'], id: ['april'], ms: ['april'], th: ['เมษายน', 'เม.ย.'], vi: ['tháng 4', 'tháng 04', 'tháng tư'] },
  { en: ['may'], id: ['mei'], ms: ['mei'], th: ['พฤษภาคม', 'พ.ค.'], vi: ['tháng 5', 'tháng 05', 'tháng năm'] },
  { en: ['june', 'jun'], id: ['juni'], ms: ['jun'], th: ['มิถุนายน', 'มิ.ย.'], vi: ['tháng 6', 'tháng 06', 'tháng sáu'] },
  { en: ['july', 'jul'], id: ['juli'], ms: ['julai'], th: ['กรกฎาคม', 'ก.ค.'], vi: ['tháng 7', 'tháng 07', 'tháng bảy'] },
  { en: ['august', 'aug'], id: ['agustus'], ms: ['ogos'], th: ['สิงหาคม', 'ส.ค.'], vi: ['tháng 8', 'tháng 08', 'tháng tám'] },
  { en: ['september', 'sep', 'sept'], id: ['september'], ms: ['september'], th: ['กันยายน', 'ก.ย.'], vi: ['tháng 9', 'tháng 09', 'tháng chín'] },
  { en: ['october', 'oct'], id: ['oktober'], ms: ['oktober'], th: ['ตุลาคม', 'ต.ค.'], vi: ['tháng 10', 'tháng mười'] },
  { en: ['november', 'nov'], id: ['november'], ms: ['november'], th: ['พฤศจิกายน', 'พ.ย.'], vi: ['tháng 11', 'tháng mười một'] },
  { en: ['december', 'dec'], id: ['desember'], ms: ['disember'], th: ['ธันวาคม', 'ธ.ค.'], vi: ['tháng 12', 'tháng mười hai', 'tháng chạp'] },
];

/** "top", "most": the largest groups first (the default order); "top 5" also keeps five. */
// prettier-ignore
export const TOP_WORDS: Words = {
  en: ['top', 'most', 'the most', 'highest', 'biggest', 'leading'],
  id: ['teratas', 'terbanyak', 'paling banyak'],
  ms: ['teratas', 'terbanyak', 'paling banyak'],
  th: ['มากที่สุด', 'อันดับแรก', 'สูงสุด'],
  vi: ['nhiều nhất', 'hàng đầu', 'đứng đầu', 'cao nhất', 'nhất'],
};

/** "how many", "number of". */
// prettier-ignore
export const COUNT_WORDS: Words = {
  en: ['how many', 'number of', 'count of', 'count', 'total number of', 'total', 'amount of'],
  id: ['berapa', 'berapa banyak', 'jumlah', 'total'],
  ms: ['berapa', 'berapa banyak', 'bilangan', 'jumlah'],
  th: ['กี่', 'จำนวน', 'ทั้งหมด', 'รวม'],
  vi: ['bao nhiêu', 'có bao nhiêu', 'số lượng', 'tổng số', 'số'],
};

/**
 * Words of the questions that carry no meaning for the query (on top of the function words that
 * core/understanding/content-words.ts removes): "people", "use", "statistics", "ครับ".
 */
// prettier-ignore
export const FILLER_WORDS: Words = {
  en: ['use', 'used', 'using', 'speak', 'statistics', 'stats', 'figures', 'numbers', 'breakdown', 'chart',
    'table', 'listed', 'posted', 'received', 'made', 'got', 'there', 'have', 'has', 'with', 'in', 'from', 'by', 'per', 'of', 'for',
    'about', 'on', 'the', 'show', 'show me', 'give me', 'tell me', 'what', 'which', 'how', 'sector', 'field', 'country', 'region',
    'were', 'was', 'are', 'is', 'do', 'did', 'does', 'new', 'all', 'we', 'have we had', 'had', 'been', 'requested', 'shown', 'year'],
  id: ['dipakai', 'digunakan', 'menggunakan', 'pakai', 'statistik', 'angka', 'data', 'tampilkan', 'ada',
    'yang', 'di', 'sektor', 'bidang', 'dengan', 'dari', 'dalam', 'untuk', 'negara', 'teknologi', 'baru', 'masuk', 'diminta',
    'ditampilkan', 'tentang', 'oleh', 'tahun'],
  ms: ['digunakan', 'menggunakan', 'guna', 'statistik', 'angka', 'data', 'tunjukkan', 'ada',
    'yang', 'di', 'sektor', 'bidang', 'dengan', 'dari', 'dalam', 'untuk', 'negara', 'teknologi', 'baharu', 'diminta',
    'dipaparkan', 'tentang', 'oleh', 'banyak', 'tahun'],
  th: ['ใช้', 'สถิติ', 'ตัวเลข', 'ข้อมูล', 'มี', 'ที่', 'ด้าน', 'สาขา', 'ใน', 'จาก', 'ของ', 'บ้าง', 'ครับ', 'ค่ะ',
    'คะ', 'ประเทศ', 'เทคโนโลยี', 'แสดง', 'ขอ', 'ดู', 'ใหม่', 'เท่าไร', 'เท่าไหร่', 'ได้รับ', 'แล้ว', 'ทั้ง', 'เรื่อง', 'เกี่ยวกับ', 'ปี', 'พ.ศ.'],
  vi: ['dùng', 'sử dụng', 'thống kê', 'số liệu', 'dữ liệu', 'có', 'các', 'những', 'về',
    'trong', 'của', 'cho', 'lĩnh vực', 'ngành', 'quốc gia', 'nước', 'công nghệ', 'mới', 'nhiều', 'được', 'đã', 'là', 'bao nhiêu',
    'xem', 'cho biết', 'hiển thị', 'năm'],
};
