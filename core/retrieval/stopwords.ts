import type { Language } from '../domain/languages.js';
import { foldLatinToken, matchForm } from '../text/normalize.js';

/**
 * Function words left out of lexical queries, written for the project. Listings are mostly English, so a
 * query in Vietnamese, Malay or Filipino also drops English function words: after diacritics are folded,
 * Vietnamese "có", "đó" or Malay "dan", "di" would otherwise meet English "co", "do", "dan", "di" by
 * accident. Scripts without spaces need no list (their words never meet English text); content words
 * ("nước", "air", "tubig") are never listed. Lists are in matching form (lowercase, diacritics folded).
 */
// prettier-ignore
const WORDS: Partial<Record<Language, string>> = {
  en: `a an the and or but nor if then else than so as at by for from in into of off on onto out over per to up via with within
    without about above after again against all also am any are aren't be because been before being below between both can
    cannot could did do does doing done down during each few further had has have having he her here hers him his how i i'm
    it it's its just me more most my no not now only other our ours own same she should some such that their theirs them these
    they this those through too under until very was we were what when where which while who whom why will would you your
    yours must may might shall need needs want wants looking like get got also etc using use used able our us one any new`,
  id: `saya aku kami kita anda kamu dia mereka ini itu tersebut yang dan atau tetapi tapi namun dengan untuk buat dari di ke pada
    dalam oleh sebagai adalah ialah akan sudah telah belum sedang masih bisa dapat boleh mau ingin butuh perlu membutuhkan
    memerlukan mencari cari tolong mohon minta ada apa apakah bagaimana kenapa siapa mana kapan berapa tidak tak nggak gak bukan
    ya juga saja aja hanya cuma lagi sangat lebih paling semua setiap beberapa banyak sesuatu hal punya memiliki agar supaya jika
    kalau karena sebuah seorang satu para seperti tentang sini situ pun lah kah nya kan sih dong yg dgn utk tdk sdh jadi bagi
    tanpa antara secara harus sehingga hingga sampai saat ketika setelah sebelum per`,
  ms: `saya aku kami kita anda awak dia mereka ini itu tersebut yang dan atau tetapi tapi namun dengan untuk bagi dari di ke pada
    dalam oleh sebagai adalah ialah iaitu akan sudah telah belum sedang masih boleh dapat mahu nak hendak ingin perlu memerlukan
    mencari cari tolong sila minta ada adakah apa apakah bagaimana kenapa mengapa siapa mana bila berapa tidak tak bukan ya juga
    sahaja saja hanya cuma lagi sangat amat lebih paling semua setiap beberapa banyak sesuatu hal mempunyai punya agar supaya jika
    kalau kerana sebuah seorang satu para seperti tentang sini situ lah kah pun nya tanpa antara secara perlu harus sehingga
    hingga sampai semasa ketika selepas sebelum kami`,
  vi: `toi chung ta minh ban anh chi em ong ba ho no nay kia ay thi la va hoac hay nhung voi cho cua tu o tai trong tren duoi ve
    de duoc bi co khong chua da dang se rat nhieu it cac mot moi moi can muon tim kiem giup xin vui long lam on a nhe nha gi
    nao sao the bao ai dau khi neu vi nen cung chi nua them hon nhat chao cam vang da loai cai con nguoi ra vao lai di lam nhu
    ma thay sau truoc theo`,
  fil: `ako ko akin amin namin kami tayo natin atin ikaw ka mo ninyo kayo siya niya sila nila ito iyan iyon yan yun ang ng mga
    sa na nang at o pero ngunit para kay ni ay si may mayroon meron wala hindi oo po opo ho lang lamang din rin pa ba naman nga
    kung kasi dahil kapag gusto nais kailangan kailangang hanap naghahanap tulong paki ano anong paano bakit sino saan kailan
    lahat bawat iba isang isa mas pinaka dito doon diyan kahit habang tapos yung kayang pwede puwede`,
};

const LISTS = new Map<Language, Set<string>>();
function list(language: Language): Set<string> {
  let set = LISTS.get(language);
  if (!set) {
    const words = (WORDS[language] ?? '').split(/\s+/).filter(Boolean);
    set = new Set(words.map((word) => foldLatinToken(matchForm(word))));
    LISTS.set(language, set);
  }
  return set;
}

/** True for a function word of the language or, in a Latin-script language, of English. */
export function isStopword(term: string, language: Language): boolean {
  if (list(language).has(term)) return true;
  return /^[a-z0-9'-]+$/.test(term) && list('en').has(term);
}
