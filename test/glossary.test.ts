import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../core/domain/languages.js';
import { SECTORS } from '../core/domain/sectors.js';
import { Glossary } from '../core/glossary/glossary.js';

const glossary = Glossary.shared();

describe('glossary data', () => {
  it('has at least 800 concepts, each labelled in all ten languages', () => {
    expect(glossary.size).toBeGreaterThanOrEqual(800);
    for (const concept of glossary.concepts.values()) {
      for (const language of LANGUAGES) expect(concept.labels[language].length, `${concept.id} ${language}`).toBeGreaterThan(0);
      for (const sector of concept.sectors) expect(SECTORS).toContain(sector);
    }
  });

  it('keeps 1–6 labels per language in every concept entry of every file', () => {
    const dir = 'core/glossary/data';
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { about: string; concepts: Array<{ id: string; labels: Record<string, string[]> }> };
      expect(data.about).toMatch(/written for the project/);
      for (const concept of data.concepts) {
        for (const language of LANGUAGES) {
          const count = concept.labels[language]!.length;
          expect(count >= 1 && count <= 6, `${file} ${concept.id} ${language}: ${count}`).toBe(true);
        }
      }
    }
  });

  it('merges only true synonyms through a shared English label (no chains of unrelated concepts)', () => {
    // Each of these was once swallowed by another concept through one ambiguous English label.
    for (const id of [
      'mobile-robot', 'antibiotic-residue', 'vibration', 'seismic-monitoring', 'crop-monitoring', 'multispectral-imaging',
      'level-sensor', 'flood-forecasting', 'smart-home', 'vehicle-battery-management', 'data-backup', 'safety',
      'occupational-health', 'heatwave', 'software-testing', 'quality-control', 'fault-detection', 'anomaly-detection',
      'rice-husk', 'silica', 'catalyst', 'vehicle-emissions', 'humidity-moisture', 'tropical-climate',
    ]) {
      expect(glossary.concepts.has(id), id).toBe(true);
    }
  });

  it('covers every sector of the taxonomy', () => {
    const covered = new Set([...glossary.concepts.values()].flatMap((c) => c.sectors));
    for (const sector of SECTORS) expect(covered.has(sector), sector).toBe(true);
  });
});

describe('concept matching across languages', () => {
  // One need, written for this test in each language: solar-powered water purification for a village.
  const sentences: Record<(typeof LANGUAGES)[number], string> = {
    en: 'We need a solar powered water purifier for our village',
    id: 'Desa kami butuh alat penjernih air tenaga surya',
    ms: 'Kampung kami memerlukan penapis air tenaga suria',
    th: 'หมู่บ้านต้องการเครื่องกรองน้ำพลังงานแสงอาทิตย์',
    vi: 'Làng chúng tôi cần máy lọc nước dùng năng lượng mặt trời',
    fil: 'Kailangan ng baryo namin ng water purifier na solar',
    km: 'ភូមិយើងត្រូវការម៉ាស៊ីនចម្រោះទឹកប្រើថាមពលព្រះអាទិត្យ',
    lo: 'ບ້ານພວກເຮົາຕ້ອງການເຄື່ອງກອງນ້ຳພະລັງງານແສງຕາເວັນ',
    my: 'ကျွန်ုပ်တို့ရွာအတွက် နေရောင်ခြည်စွမ်းအင်သုံး ရေစစ်စက် လိုအပ်သည်',
    zh: '我们村需要太阳能净水器',
  };

  it.each(LANGUAGES)('%s: finds water purification and solar energy', (language) => {
    const ids = glossary.conceptIds(sentences[language], language);
    expect(ids, ids.join(',')).toContain('water-purification');
    expect(ids.some((id) => id.startsWith('solar')), ids.join(',')).toBe(true);
  });

  it('matches Vietnamese written without diacritics the same way', () => {
    expect(glossary.conceptIds('lang chung toi can may loc nuoc', 'vi')).toEqual(
      glossary.conceptIds('làng chúng tôi cần máy lọc nước', 'vi'),
    );
  });

  it('matches English technical words inside other scripts, and whole words only in Latin text', () => {
    expect(glossary.conceptIds('我们用FPGA做控制器', 'zh')).toContain('fpga');
    expect(glossary.conceptIds('drones and sensors', 'en')).toEqual(expect.arrayContaining(['sensor']));
    expect(glossary.conceptIds('sensorsx', 'en')).toEqual([]);
  });

  it('does not apply another Latin-script language’s labels ("air" is water only in Malay/Indonesian)', () => {
    const english = glossary.conceptIds('fresh air supply', 'en');
    const malay = glossary.conceptIds('bekalan air bersih', 'ms');
    expect(english).not.toEqual(malay);
  });

  it('maps water-filter phrasing to water purification, not industrial filtration (Khmer)', () => {
    const ids = glossary.conceptIds('ប្រព័ន្ធចម្រោះទឹកសម្រាប់សាលារៀន', 'km');
    expect(ids).toContain('water-purification');
    expect(ids).not.toContain('industrial-filtration');
  });

  it('finds measured properties in everyday phrasing', () => {
    expect(glossary.conceptIds('ต้องการวัดออกซิเจนละลายน้ำในบ่อกุ้ง', 'th')).toContain('dissolved-oxygen');
    expect(glossary.conceptIds('ຕ້ອງການເຊັນເຊີວັດຄວາມຊຸ່ມທີ່ໄວ', 'lo')).toContain('humidity-moisture');
    expect(glossary.conceptIds('cần bản đồ độ mặn ven biển', 'vi')).toEqual(expect.arrayContaining(['salinity', 'coastal-zone']));
    // Thai "thickness" is the start of "density": population density is not a thickness measurement.
    expect(glossary.conceptIds('ประเมินความหนาแน่นประชากร', 'th')).not.toContain('thickness-measurement');
  });

  it('takes plural endings only after words of four letters or more', () => {
    expect(glossary.conceptIds('SAR images of the delta', 'en')).toContain('aviation-radar');
    expect(glossary.conceptIds('SARS-CoV-2 on door handles', 'en')).not.toContain('aviation-radar');
    expect(glossary.conceptIds('humidity sensors', 'en')).toContain('sensor');
  });

  it('suggests sectors from concepts', () => {
    const sectors = glossary.sectorsFor(glossary.conceptIds(sentences.en, 'en')).map((s) => s.sector);
    expect(sectors.slice(0, 3)).toEqual(expect.arrayContaining(['environment']));
  });
});

describe('glossary loading', () => {
  it('rejects an invalid file with the concept path and reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glossary-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ about: 'test', concepts: [{ id: 'Bad Id', sectors: [], labels: {} }] }));
    expect(() => Glossary.load(dir)).toThrow(/bad\.json is invalid at concepts\.0\.id/);
  });

  it('merges concepts from different files that share an English label', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glossary-'));
    const labels = (en: string[]) => Object.fromEntries(LANGUAGES.map((l) => [l, l === 'en' ? en : [`${en[0]}-${l}`]]));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ about: 'test', concepts: [{ id: 'drone', sectors: ['robotics'], labels: labels(['drone']) }] }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ about: 'test', concepts: [{ id: 'uav', sectors: ['aerospace'], labels: labels(['uav', 'drone']) }] }));
    const merged = Glossary.load(dir);
    expect(merged.size).toBe(1);
    expect(merged.concepts.get('drone')?.sectors.sort()).toEqual(['aerospace', 'robotics']);
    expect(merged.conceptIds('a uav over the field', 'en')).toEqual(['drone']);
  });
});
