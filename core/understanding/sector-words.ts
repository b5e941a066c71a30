import type { Language } from '../domain/languages.js';
import type { Sector } from '../domain/sectors.js';
import { PhraseMatcher, type PhraseEntry, type PhraseHit } from './phrase-matcher.js';

/**
 * Plain words for the twelve sectors (docs/TAXONOMY.md) in all ten languages, written for the project:
 * what people type to narrow results ("agriculture only", "เฉพาะเกษตร", "只看农业") or to say what field
 * they work in. Words that are everyday words too are left out ("power", "space", "building", Thai "น้ำ",
 * Vietnamese "nước", which also means "country"). Specific technologies come from the glossary instead.
 */
// prettier-ignore
export const SECTOR_WORDS: Record<Sector, Record<Language, string[]>> = {
  agrifood: {
    en: ['agriculture', 'agricultural', 'farming', 'agrifood', 'agri-food', 'agritech', 'food', 'food processing', 'aquaculture', 'fisheries'],
    id: ['pertanian', 'agrikultur', 'pangan', 'perikanan', 'akuakultur', 'pengolahan pangan', 'agribisnis'],
    ms: ['pertanian', 'agromakanan', 'makanan', 'perikanan', 'akuakultur', 'pemprosesan makanan', 'agroteknologi'],
    th: ['เกษตร', 'การเกษตร', 'อาหาร', 'ประมง', 'เพาะเลี้ยงสัตว์น้ำ', 'แปรรูปอาหาร'],
    vi: ['nông nghiệp', 'thực phẩm', 'thủy sản', 'thuỷ sản', 'nuôi trồng thủy sản', 'chế biến thực phẩm'],
    fil: ['agrikultura', 'pagsasaka', 'agrikultural', 'pagkain', 'pangingisda', 'akwakultura'],
    km: ['កសិកម្ម', 'ចំណីអាហារ', 'ជលផល', 'វារីវប្បកម្ម', 'កែច្នៃអាហារ'],
    lo: ['ກະສິກຳ', 'ກະສິກໍາ', 'ອາຫານ', 'ການປະມົງ', 'ການລ້ຽງສັດນ້ຳ'],
    my: ['စိုက်ပျိုးရေး', 'လယ်ယာ', 'စားသောက်ကုန်', 'ငါးလုပ်ငန်း', 'ရေလုပ်ငန်း'],
    zh: ['农业', '農業', '食品', '渔业', '漁業', '水产养殖', '水產養殖', '食品加工', '农产品'],
  },
  health: {
    en: ['health', 'healthcare', 'health care', 'medical', 'medicine', 'biotech', 'biotechnology', 'pharma', 'pharmaceutical', 'medtech'],
    id: ['kesehatan', 'medis', 'kedokteran', 'bioteknologi', 'farmasi'],
    ms: ['kesihatan', 'perubatan', 'bioteknologi', 'farmaseutikal'],
    th: ['สุขภาพ', 'การแพทย์', 'ทางการแพทย์', 'เทคโนโลยีชีวภาพ', 'เภสัชกรรม'],
    vi: ['y tế', 'sức khỏe', 'sức khoẻ', 'y học', 'công nghệ sinh học', 'dược phẩm'],
    fil: ['kalusugan', 'medikal', 'medisina', 'biotech', 'bioteknolohiya'],
    km: ['សុខាភិបាល', 'សុខភាព', 'វេជ្ជសាស្ត្រ', 'ជីវបច្ចេកវិទ្យា', 'ឱសថ'],
    lo: ['ສາທາລະນະສຸກ', 'ສຸຂະພາບ', 'ການແພດ', 'ເຕັກໂນໂລຊີຊີວະພາບ'],
    my: ['ကျန်းမာရေး', 'ဆေးဘက်', 'ဆေးပညာ', 'ဇီဝနည်းပညာ'],
    zh: ['医疗', '醫療', '医药', '醫藥', '健康', '生物技术', '生物技術', '医学'],
  },
  energy: {
    en: ['energy', 'renewable energy', 'renewables', 'power generation', 'electricity', 'cleantech energy'],
    id: ['energi', 'energi terbarukan', 'kelistrikan', 'ketenagalistrikan'],
    ms: ['tenaga boleh baharu', 'tenaga boleh diperbaharui', 'sektor tenaga', 'elektrik', 'energi'],
    th: ['พลังงาน', 'พลังงานทดแทน', 'ไฟฟ้า'],
    vi: ['năng lượng', 'năng lượng tái tạo', 'điện năng'],
    fil: ['enerhiya', 'kuryente', 'renewable energy'],
    km: ['ថាមពល', 'ថាមពលកកើតឡើងវិញ', 'អគ្គិសនី'],
    lo: ['ພະລັງງານ', 'ພະລັງງານທົດແທນ', 'ໄຟຟ້າ'],
    my: ['စွမ်းအင်', 'ပြန်လည်ပြည့်ဖြိုးမြဲစွမ်းအင်', 'လျှပ်စစ်'],
    zh: ['能源', '新能源', '可再生能源', '电力', '電力'],
  },
  environment: {
    en: ['environment', 'environmental', 'water management', 'waste', 'pollution', 'climate', 'cleantech'],
    id: ['lingkungan', 'lingkungan hidup', 'limbah', 'sampah', 'polusi', 'pencemaran', 'iklim'],
    ms: ['alam sekitar', 'sisa', 'sampah', 'pencemaran', 'iklim'],
    th: ['สิ่งแวดล้อม', 'การจัดการน้ำ', 'ขยะ', 'ของเสีย', 'มลพิษ', 'สภาพภูมิอากาศ'],
    vi: ['môi trường', 'xử lý nước', 'tài nguyên nước', 'chất thải', 'rác thải', 'ô nhiễm', 'khí hậu'],
    fil: ['kapaligiran', 'basura', 'polusyon', 'klima'],
    km: ['បរិស្ថាន', 'សំណល់', 'សំរាម', 'ការបំពុល', 'អាកាសធាតុ'],
    lo: ['ສິ່ງແວດລ້ອມ', 'ຂີ້ເຫຍື້ອ', 'ມົນລະພິດ', 'ສະພາບອາກາດ'],
    my: ['ပတ်ဝန်းကျင်', 'စွန့်ပစ်ပစ္စည်း', 'အမှိုက်', 'ညစ်ညမ်းမှု', 'ရာသီဥတု'],
    zh: ['环境', '環境', '环保', '環保', '水处理', '废物', '垃圾', '污染', '气候', '氣候'],
  },
  materials: {
    en: ['materials', 'material science', 'materials science', 'chemicals', 'chemistry', 'coatings', 'nanomaterials', 'polymers'],
    id: ['material', 'bahan maju', 'kimia', 'pelapis', 'nanomaterial'],
    ms: ['bahan termaju', 'kimia', 'salutan', 'sains bahan'],
    th: ['วัสดุ', 'เคมี', 'สารเคลือบ', 'วัสดุนาโน'],
    vi: ['vật liệu', 'hóa chất', 'hoá chất', 'hóa học', 'lớp phủ'],
    fil: ['materyales', 'kemikal', 'kimika'],
    km: ['សម្ភារៈ', 'គីមី', 'វត្ថុធាតុ'],
    lo: ['ວັດສະດຸ', 'ເຄມີ'],
    my: ['ကုန်ကြမ်းပစ္စည်း', 'ဓာတုဗေဒ', 'ဓာတုပစ္စည်း'],
    zh: ['材料', '新材料', '化工', '化学', '化學', '涂层', '塗層'],
  },
  manufacturing: {
    en: ['manufacturing', 'industrial', 'industry 4.0', 'mechanical', 'machinery'],
    id: ['manufaktur', 'industri manufaktur', 'permesinan', 'industri'],
    ms: ['pembuatan', 'perkilangan', 'industri pembuatan', 'jentera'],
    th: ['การผลิต', 'อุตสาหกรรมการผลิต', 'เครื่องจักรกล'],
    vi: ['sản xuất', 'chế tạo', 'cơ khí'],
    fil: ['pagmamanupaktura', 'manupaktura', 'industriya'],
    km: ['ផលិតកម្ម', 'ឧស្សាហកម្ម', 'មេកានិច'],
    lo: ['ການຜະລິດ', 'ອຸດສາຫະກຳ', 'ກົນຈັກ'],
    my: ['ကုန်ထုတ်လုပ်ငန်း', 'စက်မှုလုပ်ငန်း'],
    zh: ['制造', '製造', '制造业', '智能制造', '机械', '機械'],
  },
  electronics: {
    en: ['electronics', 'electronic', 'sensors', 'sensor', 'optics', 'photonics', 'semiconductors', 'semiconductor'],
    id: ['elektronika', 'elektronik', 'sensor', 'optik', 'semikonduktor'],
    ms: ['elektronik', 'penderia', 'optik', 'semikonduktor'],
    th: ['อิเล็กทรอนิกส์', 'เซนเซอร์', 'เซ็นเซอร์', 'ทัศนศาสตร์', 'เซมิคอนดักเตอร์'],
    vi: ['điện tử', 'cảm biến', 'quang học', 'bán dẫn'],
    fil: ['elektroniks', 'electronics', 'sensor'],
    km: ['អេឡិចត្រូនិក', 'សេនស័រ', 'ឧបករណ៍ចាប់សញ្ញា'],
    lo: ['ເອເລັກໂຕຣນິກ', 'ອີເລັກໂທຣນິກ', 'ເຊັນເຊີ'],
    my: ['အီလက်ထရောနစ်', 'အာရုံခံကိရိယာ', 'ဆင်ဆာ'],
    zh: ['电子', '電子', '传感器', '傳感器', '光学', '半导体', '半導體'],
  },
  ict: {
    en: ['software', 'ict', 'digital', 'artificial intelligence', 'telecommunications', 'telecom', 'apps', 'mobile apps', 'it sector', 'information technology'],
    id: ['perangkat lunak', 'piranti lunak', 'software', 'tik', 'teknologi informasi', 'digital', 'kecerdasan buatan', 'aplikasi'],
    ms: ['perisian', 'ict', 'teknologi maklumat', 'digital', 'kecerdasan buatan', 'aplikasi'],
    th: ['ซอฟต์แวร์', 'ซอฟท์แวร์', 'ไอที', 'ดิจิทัล', 'ปัญญาประดิษฐ์', 'เทคโนโลยีสารสนเทศ'],
    vi: ['phần mềm', 'công nghệ thông tin', 'cntt', 'kỹ thuật số', 'trí tuệ nhân tạo', 'chuyển đổi số'],
    fil: ['software', 'ict', 'digital', 'artificial intelligence', 'aplikasyon'],
    km: ['សូហ្វវែរ', 'ព័ត៌មានវិទ្យា', 'ឌីជីថល', 'បញ្ញាសិប្បនិម្មិត', 'កម្មវិធីកុំព្យូទ័រ'],
    lo: ['ຊອບແວ', 'ໄອທີ', 'ດິຈິຕອນ', 'ປັນຍາປະດິດ', 'ເຕັກໂນໂລຊີຂໍ້ມູນຂ່າວສານ'],
    my: ['ဆော့ဖ်ဝဲ', 'ဆော့ဖ်ဝဲလ်', 'အိုင်တီ', 'ဒစ်ဂျစ်တယ်', 'ဉာဏ်ရည်တု', 'သတင်းအချက်အလက်နည်းပညာ'],
    zh: ['软件', '軟件', '軟體', '信息技术', '資訊科技', '数字化', '數位化', '人工智能', '通信'],
  },
  robotics: {
    en: ['robotics', 'robots', 'robot', 'automation', 'drones', 'drone', 'autonomous systems'],
    id: ['robotika', 'robot', 'otomasi', 'otomatisasi', 'drone'],
    ms: ['robotik', 'robot', 'automasi', 'dron'],
    th: ['หุ่นยนต์', 'ระบบอัตโนมัติ', 'โดรน', 'ออโตเมชัน'],
    vi: ['robot', 'người máy', 'tự động hóa', 'tự động hoá', 'máy bay không người lái'],
    fil: ['robotika', 'robot', 'awtomasyon', 'drone'],
    km: ['មនុស្សយន្ត', 'រ៉ូបូត', 'ស្វ័យប្រវត្តិកម្ម', 'ដ្រូន'],
    lo: ['ຫຸ່ນຍົນ', 'ໂຣບອດ', 'ລະບົບອັດຕະໂນມັດ', 'ໂດຣນ'],
    my: ['စက်ရုပ်', 'အလိုအလျောက်စနစ်', 'ဒရုန်း'],
    zh: ['机器人', '機器人', '自动化', '自動化', '无人机', '無人機'],
  },
  aerospace: {
    en: ['aerospace', 'aviation', 'aeronautics', 'space technology', 'satellites', 'satellite'],
    id: ['dirgantara', 'kedirgantaraan', 'penerbangan', 'antariksa', 'satelit'],
    ms: ['aeroangkasa', 'penerbangan', 'angkasa lepas', 'satelit'],
    th: ['อวกาศ', 'การบิน', 'อากาศยาน', 'ดาวเทียม'],
    vi: ['hàng không', 'vũ trụ', 'hàng không vũ trụ', 'vệ tinh'],
    fil: ['aerospace', 'abyasyon', 'kalawakan', 'satelayt'],
    km: ['អវកាស', 'អាកាសចរណ៍', 'ផ្កាយរណប'],
    lo: ['ອາວະກາດ', 'ການບິນ', 'ດາວທຽມ'],
    my: ['အာကာသ', 'လေကြောင်း', 'ဂြိုဟ်တု'],
    zh: ['航空航天', '航空', '航天', '卫星', '衛星'],
  },
  transport: {
    en: ['transport', 'transportation', 'logistics', 'mobility', 'automotive', 'shipping', 'maritime'],
    id: ['transportasi', 'logistik', 'kendaraan', 'otomotif', 'maritim', 'angkutan'],
    ms: ['pengangkutan', 'logistik', 'kenderaan', 'automotif', 'maritim'],
    th: ['ขนส่ง', 'การขนส่ง', 'โลจิสติกส์', 'ยานยนต์', 'ยานพาหนะ'],
    vi: ['giao thông', 'vận tải', 'hậu cần', 'logistics', 'ô tô', 'phương tiện giao thông'],
    fil: ['transportasyon', 'lohistika', 'logistics', 'sasakyan'],
    km: ['ដឹកជញ្ជូន', 'ការដឹកជញ្ជូន', 'ភស្តុភារ', 'យានយន្ត'],
    lo: ['ຂົນສົ່ງ', 'ການຂົນສົ່ງ', 'ໂລຈິສຕິກ', 'ຍານພາຫະນະ'],
    my: ['သယ်ယူပို့ဆောင်ရေး', 'ထောက်ပံ့ပို့ဆောင်ရေး', 'ယာဉ်'],
    zh: ['交通', '运输', '運輸', '物流', '交通运输', '汽车', '汽車'],
  },
  construction: {
    en: ['construction', 'buildings', 'infrastructure', 'civil engineering', 'housing'],
    id: ['konstruksi', 'bangunan', 'infrastruktur', 'teknik sipil'],
    ms: ['pembinaan', 'bangunan', 'infrastruktur', 'kejuruteraan awam'],
    th: ['ก่อสร้าง', 'การก่อสร้าง', 'อาคาร', 'โครงสร้างพื้นฐาน'],
    vi: ['xây dựng', 'công trình', 'hạ tầng', 'cơ sở hạ tầng'],
    fil: ['konstruksyon', 'imprastraktura', 'gusali'],
    km: ['សំណង់', 'ការសាងសង់', 'ហេដ្ឋារចនាសម្ព័ន្ធ'],
    lo: ['ການກໍ່ສ້າງ', 'ກໍ່ສ້າງ', 'ໂຄງລ່າງພື້ນຖານ'],
    my: ['ဆောက်လုပ်ရေး', 'အဆောက်အအုံ', 'အခြေခံအဆောက်အအုံ'],
    zh: ['建筑', '建築', '建设', '基础设施', '基礎設施', '土木'],
  },
};

let matcher: PhraseMatcher<Sector> | undefined;

function sectorMatcher(): PhraseMatcher<Sector> {
  if (!matcher) {
    const entries: PhraseEntry<Sector>[] = [];
    for (const [sector, byLanguage] of Object.entries(SECTOR_WORDS) as Array<[Sector, Record<Language, string[]>]>) {
      for (const [language, list] of Object.entries(byLanguage)) {
        // Single Vietnamese syllables fold into other words: keep them as written.
        for (const phrase of list) entries.push({ phrase, value: sector, exact: language === 'vi' && !phrase.includes(' ') });
      }
    }
    matcher = new PhraseMatcher(entries);
  }
  return matcher;
}

/** Sector words in a text, non-overlapping, in text order. */
export function findSectorWords(text: string): PhraseHit<Sector>[] {
  return sectorMatcher().find(text);
}
