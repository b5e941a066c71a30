import type { IngestSummary } from '../../ingest/ingest.js';
import type { MatchResponse } from '../../core/retrieval/match.js';

function excerpt(text: string, max = 220): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

export function formatMatches(response: MatchResponse, offset = 0): string {
  const lines: string[] = [];
  if (response.queryConcepts.length > 0) {
    lines.push(`Understood concepts: ${response.queryConcepts.map((c) => c.label).join(', ')}`);
  }
  lines.push(`Language: ${response.language} · mode: ${response.mode} · signals: ${response.signals.join(' + ') || 'none'}`);
  if (response.results.length === 0) {
    lines.push('No matching published listings. Try other words, fewer filters, or describe the problem in more detail.');
    return lines.join('\n');
  }
  response.results.forEach((result, index) => {
    const l = result.listing;
    const facts = [l.country, l.sectors.join('/') || 'no sector', l.trl ? `TRL ${l.trl}` : undefined, l.language]
      .filter(Boolean)
      .join(' · ');
    lines.push('');
    lines.push(`${offset + index + 1}. [${l.kind}] ${l.title}  (${facts})  score ${result.score.toFixed(3)}`);
    lines.push(`   ${l.source}/${l.externalId}${l.organisation ? ` · ${l.organisation}` : ''}`);
    lines.push(`   “${excerpt(result.passage)}”`);
    const why: string[] = [];
    if (result.reasons.sharedConcepts.length) why.push(`concepts: ${result.reasons.sharedConcepts.map((c) => c.label).join(', ')}`);
    if (result.reasons.sharedTerms.length) why.push(`words: ${result.reasons.sharedTerms.slice(0, 8).join(', ')}`);
    if (result.reasons.sectorFit.length) why.push(`sector: ${result.reasons.sectorFit.join(', ')}`);
    if (result.reasons.countryFit) why.push('country fits');
    if (result.ranks.dense) why.push(`dense rank ${result.ranks.dense}`);
    if (why.length) lines.push(`   why: ${why.join(' · ')}`);
  });
  if (response.hasMore) lines.push('', 'More results exist: use --offset to page.');
  return lines.join('\n');
}

export function formatIngestSummary(summary: IngestSummary): string {
  const lines = [
    `Ingested ${summary.files.length} file(s) in ${summary.seconds.toFixed(1)} s: ${summary.read} records read, ` +
      `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.rejected.length === 0 ? 0 : new Set(summary.rejected.map((r) => `${r.file}:${r.line}`)).size} rejected` +
      (summary.embeddedPassages ? `, ${summary.embeddedPassages} passages embedded` : '') +
      '.',
  ];
  for (const [reason, count] of Object.entries(summary.skipped)) lines.push(`Skipped ${count}: ${reason}.`);
  if (summary.rejected.length > 0) {
    lines.push('Rejected records (fix them and run the same command again; good records are already stored):');
    for (const r of summary.rejected.slice(0, 50)) lines.push(`  ${r.file}:${r.line} ${r.field}: ${r.reason}`);
    if (summary.rejected.length > 50) lines.push(`  … and ${summary.rejected.length - 50} more (use --json for all).`);
  }
  if (summary.duplicates.length > 0) {
    lines.push(`Near-duplicates (${summary.duplicates.length} pairs, similar wording):`);
    for (const d of summary.duplicates.slice(0, 20)) lines.push(`  ${d.label} ≈ ${d.duplicateLabel} (${d.similarity})`);
    if (summary.duplicates.length > 20) lines.push(`  … and ${summary.duplicates.length - 20} more (use --json for all).`);
  }
  return lines.join('\n');
}
