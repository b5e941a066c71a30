import type { Language } from '../domain/languages.js';
import { foldLatinToken, matchForm } from '../text/normalize.js';
import { tokenize } from '../text/segment.js';
import { PhraseMatcher, cut } from './phrase-matcher.js';

/**
 * Content words: what is left of a chat message once function words, chat fillers ("please", "ครับ", "ạ")
 * and generic words ("technology", "teknologi", "技术", "solution") are taken out. The engine asks a
 * clarifying question when a message has too few of them, and the understanding uses them to tell a
 * technology need ("solar dryer for cassava") from small talk.
 *
 * The lists are written for the project. Items with a space are phrases (removed before segmentation,
 * which matters for Vietnamese, whose words are several syllables: "công nghệ" is "technology").
 */

// prettier-ignore
const FUNCTION_WORDS: Record<Language, string> = {
  en: `a an the i i'm im me my mine we we're us our ours you your yours he she it its they them their this that these those
    is are was were be been being am do does did done doing have has had having will would can could should may might must shall
    to of in on at by for with from about into onto over under up down out off than then so as too very just only also not no nor
    yes yeah please pls plz thanks thank thx hi hello hey dear good morning afternoon evening night day there here what which who
    whom whose where when why how any some all each every many much more most other another such own same need needs needed want
    wants wanted looking look find finding search searching help show tell give get got know let like love interested interest
    something anything someone anyone somebody anybody thing things way ways kind sort type one ones lot lots really maybe etc ok
    okay sure well still already now today kindly regards cheers bot if but and or because while able there's what's let's`,
  id: `saya aku gue gw kami kita anda kamu dia ia mereka ini itu tersebut yang dan atau tetapi tapi namun dengan untuk buat dari di
    ke pada dalam oleh sebagai adalah ialah akan sudah telah belum sedang masih bisa dapat boleh mau ingin pengen butuh perlu
    membutuhkan memerlukan mencari cari cariin carikan tolong mohon minta ada adakah apa apakah bagaimana gimana kenapa mengapa
    siapa mana kapan berapa tidak tak nggak ngga gak enggak bukan ya iya juga saja aja hanya cuma lagi sangat lebih paling semua
    setiap beberapa banyak sesuatu hal halo hai hi selamat pagi siang sore malam terima kasih makasih thanks pak bu bapak ibu kak
    mas mbak punya memiliki dong sih deh nih kah lah pun agar supaya jika kalau karena sebuah seorang satu para seperti tentang
    sini situ tolonglah kabar`,
  ms: `saya aku kami kita anda awak kau dia ia mereka ini itu tersebut yang dan atau tetapi tapi namun dengan untuk bagi dari di ke
    pada dalam oleh sebagai adalah ialah iaitu akan sudah telah belum sedang masih boleh dapat mahu nak hendak ingin perlu
    memerlukan mencari cari tolong sila minta ada adakah apa apakah bagaimana macam mana kenapa mengapa siapa mana bila berapa
    tidak tak bukan ya ye juga sahaja saja hanya cuma lagi sangat amat lebih paling semua setiap beberapa banyak sesuatu hal helo
    hai selamat pagi tengah hari petang malam terima kasih encik puan tuan cik mempunyai punya agar supaya jika kalau kerana sebuah
    seorang satu para seperti tentang sini situ lah kah pun khabar`,
  th: `ผม ฉัน ดิฉัน เรา พวกเรา หนู คุณ ท่าน เขา มัน นี้ นั้น โน้น นี่ นั่น ที่ และ หรือ แต่ กับ สำหรับ จาก ใน ของ ให้ ได้ ไม่
    มี เป็น คือ จะ ไป มา อยู่ ก็ ว่า ครับ ค่ะ คะ ค่า นะ นะคะ นะครับ จ้ะ จ้า ครับผม อยาก ต้องการ หา ค้นหา ช่วย หน่อย ด้วย บ้าง
    อะไร ไหม มั้ย หรือเปล่า อย่างไร ยังไง ทำไม ใคร ที่ไหน เมื่อไร กี่ ทุก บาง มาก มากกว่า เพิ่ม อีก แล้ว กำลัง เคย ต้อง ควร
    สามารถ ซึ่ง โดย เพื่อ ถ้า หาก เพราะ สวัสดี ขอบคุณ ขอบใจ การ ความ เรื่อง อัน หนึ่ง ขอ แบบ ไหน บ้าง ๆ ได้ไหม ช่วยหา`,
  vi: `tôi chúng_tôi chúng_ta mình bạn anh chị em ông bà họ nó này đó kia ấy thì là và hoặc hay nhưng với cho của từ ở tại trong
    trên dưới về để được bị có không chưa đã đang sẽ rất nhiều ít các những một mọi mỗi cần muốn tìm tìm_kiếm kiếm giúp xin vui_lòng
    làm_ơn ạ nhé nha à ơi gì nào sao thế_nào bao_nhiêu ai đâu khi nếu vì nên cũng chỉ nữa thêm hơn nhất chào xin_chào cảm_ơn cám_ơn
    vâng dạ loại cái con người nào_đó ra vào lại đi làm`,
  fil: `ako ko akin amin namin kami tayo natin atin ikaw ka mo ninyo kayo siya niya sila nila ito iyan iyon yan yun ang ng mga sa na
    nang at o pero ngunit para kay ni ay si may mayroon meron wala hindi oo po opo ho lang lamang din rin pa ba naman nga kung kasi
    dahil kapag gusto nais kailangan kailangang hanap hinahanap naghahanap maghanap hanapin tulong tulungan paki pakisuyo kumusta
    kamusta magandang umaga hapon gabi salamat maraming ano anong paano bakit sino saan kailan ilan lahat bawat iba isang isa mas
    pinaka yung mayroong ating aming sana`,
  km: `ខ្ញុំ យើង យើងខ្ញុំ អ្នក លោក គាត់ គេ វា នេះ នោះ ដែល និង ឬ ប៉ុន្តែ ជាមួយ សម្រាប់ ពី នៅ ក្នុង របស់ ឲ្យ អោយ ឱ្យ បាន មិន
    គ្មាន មាន ជា គឺ នឹង ទៅ មក ក៏ ថា បាទ ចាស ទេ ណា សូម ចង់ ត្រូវការ រក ស្វែងរក ជួយ ផង អ្វី តើ យ៉ាងម៉េច ហេតុអ្វី នរណា ទាំងអស់
    ខ្លះ ច្រើន ទៀត ហើយ កំពុង ធ្លាប់ ត្រូវ គួរ អាច ដោយ ដើម្បី បើ ប្រសិនបើ ព្រោះ សួស្តី ជម្រាបសួរ អរគុណ ការ សេចក្តី សេចក្ដី មួយ
    ណាមួយ ខ្លួន`,
  lo: `ຂ້ອຍ ຂ້າພະເຈົ້າ ພວກເຮົາ ເຮົາ ພວກ ເຈົ້າ ທ່ານ ເຂົາ ນີ້ ນັ້ນ ທີ່ ແລະ ຫຼື ຫລື ແຕ່ ກັບ ສຳລັບ ຈາກ ໃນ ຂອງ ໃຫ້ ໄດ້ ບໍ່ ມີ ເປັນ
    ແມ່ນ ຈະ ໄປ ມາ ຢູ່ ກໍ ວ່າ ເດີ ແດ່ ຢາກ ຕ້ອງການ ຊອກ ຊອກຫາ ຫາ ຊ່ວຍ ແນວໃດ ຫຍັງ ບໍ ໃຜ ໃສ ທຸກ ບາງ ຫຼາຍ ອີກ ແລ້ວ ກຳລັງ ເຄີຍ ຕ້ອງ
    ຄວນ ສາມາດ ໂດຍ ເພື່ອ ຖ້າ ເພາະ ສະບາຍດີ ຂອບໃຈ ການ ຄວາມ ໜຶ່ງ ຫນຶ່ງ ແບບ`,
  my: `ကျွန်တော် ကျွန်မ ကျွန်ုပ် တို့ သင် ခင်ဗျား ရှင် သူ ဒီ ဤ ထို အဲဒီ နှင့် နဲ့ သို့မဟုတ် ဒါမှမဟုတ် ဒါပေမဲ့ သို့သော် အတွက် မှ
    မှာ တွင် ၏ ရဲ့ ကို က သည် တယ် ပါ ပြီ မ ဘူး ရှိ ဖြစ် သော နေ မယ် မည် လို လိုချင် လိုအပ် ရှာ ရှာဖွေ ကူညီ ပေး ဘာ လား လဲ ဘယ်
    ဘယ်လို ဘာကြောင့် ဘယ်သူ အားလုံး တချို့ များ ထပ် နိုင် သင့် ရန် ဖို့ အကယ်၍ ဆိုရင် ကြောင့် မင်္ဂလာပါ ကျေးဇူးတင် ကျေးဇူး ခြင်း
    မှု တစ် ခု ပါး ခဲ့ ရ လည်း ပဲ သာ ဗျ ခင်ဗျ`,
  zh: `我 我们 我們 你 你们 你們 您 他 她 它 他们 他們 这 這 那 这个 這個 那个 那個 这些 這些 的 了 和 与 與 或 或者 但 但是 跟 给
    給 为 為 为了 為了 从 從 在 于 於 对 對 把 被 是 有 没有 沒有 没 沒 不 也 都 就 还 還 要 想 想要 需要 找 寻找 尋找 查找 帮
    幫 帮忙 幫忙 帮助 幫助 请 請 吗 嗎 呢 吧 啊 什么 什麼 怎么 怎麼 如何 为什么 為什麼 谁 誰 哪 哪里 哪裡 哪个 所有 每 一些 很
    更 最 多 再 已经 已經 正在 会 會 能 可以 应该 應該 如果 因为 因為 所以 你好 您好 谢谢 謝謝 感谢 感謝 一 个 個 种 種 们
    些 吗 么 麼 用 做 来 來 去 得 地 着 著 过 過 下 上 中 里 裡 向 到 让 讓 比 等 及 其 该 該`,
};

/** Words that name no particular technology: "is there a technology?" is vague. Written for the project. */
// prettier-ignore
const GENERIC_WORDS: Record<Language, string> = {
  en: `technology technologies tech technical solution solutions system systems product products innovation innovations tool tools
    device devices idea ideas project projects research partner partners partnership company companies service services business
    information info support stuff application applications equipment machine machines method methods new better cheap good best`,
  id: `teknologi solusi sistem produk inovasi alat perangkat ide gagasan proyek penelitian riset mitra perusahaan layanan bantuan
    informasi info usaha bisnis mesin metode baru murah bagus`,
  ms: `teknologi penyelesaian sistem produk inovasi alat peralatan peranti idea projek penyelidikan rakan kongsi syarikat perkhidmatan
    bantuan maklumat perniagaan mesin kaedah baru baharu murah bagus`,
  th: `เทคโนโลยี โซลูชัน โซลูชั่น ระบบ ผลิตภัณฑ์ นวัตกรรม เครื่องมือ อุปกรณ์ ไอเดีย แนวคิด โครงการ งานวิจัย วิจัย พันธมิตร บริษัท
    บริการ ข้อมูล ธุรกิจ เครื่องจักร วิธี ใหม่ ดี ถูก`,
  vi: `công_nghệ giải_pháp hệ_thống sản_phẩm đổi_mới sáng_tạo đổi_mới_sáng_tạo thiết_bị công_cụ ý_tưởng dự_án nghiên_cứu đối_tác
    công_ty doanh_nghiệp dịch_vụ thông_tin kinh_doanh máy_móc phương_pháp mới tốt rẻ kỹ_thuật`,
  fil: `teknolohiya solusyon sistema produkto inobasyon kagamitan aparato ideya proyekto pananaliksik kasosyo kompanya kumpanya
    serbisyo impormasyon negosyo makina paraan bago mura maganda`,
  km: `បច្ចេកវិទ្យា ដំណោះស្រាយ ប្រព័ន្ធ ផលិតផល នវានុវត្តន៍ ឧបករណ៍ គំនិត គម្រោង ស្រាវជ្រាវ ដៃគូ ក្រុមហ៊ុន សេវាកម្ម ព័ត៌មាន
    អាជីវកម្ម ម៉ាស៊ីន វិធីសាស្ត្រ ថ្មី ល្អ`,
  lo: `ເຕັກໂນໂລຊີ ເຕັກໂນໂລຢີ ວິທີແກ້ໄຂ ລະບົບ ຜະລິດຕະພັນ ນະວັດຕະກຳ ເຄື່ອງມື ອຸປະກອນ ແນວຄິດ ໂຄງການ ຄົ້ນຄວ້າ ຄູ່ຮ່ວມງານ ບໍລິສັດ
    ບໍລິການ ຂໍ້ມູນ ທຸລະກິດ ວິທີ ໃໝ່ ດີ`,
  my: `နည်းပညာ ဖြေရှင်းချက် စနစ် ထုတ်ကုန် ဆန်းသစ်တီထွင်မှု ကိရိယာ စက်ပစ္စည်း အကြံဉာဏ် စီမံကိန်း သုတေသန မိတ်ဖက် ကုမ္ပဏီ
    ဝန်ဆောင်မှု သတင်းအချက်အလက် လုပ်ငန်း နည်းလမ်း အသစ် ကောင်း`,
  zh: `技术 技術 科技 解决方案 解決方案 方案 系统 系統 产品 產品 创新 創新 工具 设备 設備 想法 项目 項目 研究 合作伙伴 伙伴 夥伴
    公司 服务 服務 信息 資訊 业务 業務 方法 新 好 便宜`,
};

/** Items are separated by spaces; "_" joins the syllables of one Vietnamese word ("công_nghệ"). */
function words(list: string): string[] {
  return list
    .split(/\s+/u)
    .filter(Boolean)
    .map((word) => word.replace(/_/g, ' '));
}

/** Single-token forms (tokenize's matching form) and multi-word phrases of one language. */
interface WordSets {
  tokens: Set<string>;
  phrases: PhraseMatcher<true>;
}

const sets = new Map<Language, WordSets>();

/**
 * Which lists apply to a text in a language: its own, the Malay/Indonesian sibling, and English (English
 * words turn up in every language's tech talk) except for Vietnamese, where folded syllables would collide
 * with English ("máy" → "may").
 */
function listLanguages(language: Language): Language[] {
  const result: Language[] = [language];
  if (language === 'id') result.push('ms');
  if (language === 'ms') result.push('id');
  if (language !== 'vi' && language !== 'en') result.push('en');
  return result;
}

function wordSets(language: Language): WordSets {
  const cached = sets.get(language);
  if (cached) return cached;
  const tokens = new Set<string>();
  const phrases: Array<{ phrase: string; value: true }> = [];
  for (const table of [FUNCTION_WORDS, GENERIC_WORDS]) {
    for (const source of listLanguages(language)) {
      for (const word of words(table[source])) {
        const forms = tokenize(word);
        if (forms.length === 1) {
          tokens.add(forms[0]!.term);
          if (!word.includes(' ')) tokens.add(foldLatinToken(matchForm(word)));
        } else if (forms.length > 1) {
          phrases.push({ phrase: word, value: true });
        }
      }
    }
  }
  const result = { tokens, phrases: new PhraseMatcher(phrases) };
  sets.set(language, result);
  return result;
}

const LOCALES: Record<Language, string> = { en: 'en', id: 'id', ms: 'ms', th: 'th', vi: 'vi', fil: 'fil', km: 'km', lo: 'lo', my: 'my', zh: 'zh' };
const ONLY_DIGITS = /^[\p{N}.,%-]+$/u;

/**
 * Longest text looked at. Enough to tell a need from small talk, and ICU's dictionary segmenter slows
 * down more than linearly on a long run of Thai or Khmer without spaces (100 kB takes seconds).
 */
const MAX_CHARS = 4_000;

/** Content words of a text (its first 4 000 characters), in matching form and text order (duplicates kept). */
export function contentWords(text: string, language: Language): string[] {
  const { tokens, phrases } = wordSets(language);
  const head = [...text].slice(0, MAX_CHARS).join('');
  const rest = cut(head, phrases.find(head));
  return tokenize(rest, LOCALES[language])
    .map((token) => token.term)
    .filter((term) => !tokens.has(term) && !ONLY_DIGITS.test(term) && !(term.length === 1 && /^[a-z]$/u.test(term)));
}
