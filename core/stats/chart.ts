import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { StatsAnswer } from './answer.js';
import { statsTexts } from './messages.js';

/**
 * Statistics charts as PNG, rendered on the server with no browser and no network: a vega-lite spec is
 * compiled to vega, rendered to SVG by vega's headless renderer, and rasterised by resvg (Rust, prebuilt
 * binary in the npm package). Fonts come from npm packages too (Noto Sans and Noto Sans Thai, SIL OFL),
 * so the picture is the same on every machine and Thai and Vietnamese labels render.
 */

export interface StatsChart {
  png: Uint8Array;
  /** What the chart shows, for screen readers and for channels that cannot show images. */
  alt: string;
  width: number;
  height: number;
  /** The vega-lite spec drawn (for debugging and for clients that render their own charts). */
  spec: TopLevelSpec;
}

export interface ChartOptions {
  /** CSS pixels of the chart (default 800 × 450); the PNG is `scale` times larger (default 1). */
  width?: number;
  height?: number;
  scale?: number;
}

/** Most bars or points drawn; the rest are named in the alt text. */
export const MAX_CHART_ITEMS = 30;

const require = createRequire(import.meta.url);
let fontFiles: string[] | undefined;

function fonts(): string[] {
  fontFiles ??= [
    '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
    '@expo-google-fonts/noto-sans-thai/400Regular/NotoSansThai_400Regular.ttf',
    '@expo-google-fonts/noto-sans-thai/700Bold/NotoSansThai_700Bold.ttf',
  ].map((file) => require.resolve(file));
  return fontFiles;
}

const FONT = 'Noto Sans, Noto Sans Thai, sans-serif';

interface Datum {
  label: string;
  value: number;
  series?: string;
  order: number;
}

/** The vega-lite spec for an answer: line for months, horizontal bars otherwise, one series per funnel stage. */
export function chartSpec(answer: StatsAnswer, options: ChartOptions = {}): { spec: TopLevelSpec; kind: 'bar' | 'line'; data: Datum[] } {
  const width = options.width ?? 800;
  const height = options.height ?? 450;
  const texts = statsTexts(answer.language);
  const rows = answer.rows.slice(0, MAX_CHART_ITEMS);
  const numberColumns = answer.columns.map((column, index) => ({ column, index })).filter((entry) => entry.column.type === 'number');
  const labelIndex = answer.columns.findIndex((column) => column.type === 'text');
  const data: Datum[] = [];
  rows.forEach((row, order) => {
    const label = labelIndex >= 0 ? String(row[labelIndex]) : answer.columns[0]!.label;
    for (const { column, index } of numberColumns) {
      data.push({ label, value: Number(row[index]), order, ...(numberColumns.length > 1 ? { series: column.label } : {}) });
    }
  });
  const line = answer.query.groupBy === 'month';
  const valueTitle = numberColumns.length === 1 ? numberColumns[0]!.column.label : texts.t('column.count');
  const labelTitle = labelIndex >= 0 ? answer.columns[labelIndex]!.label : '';
  const series = numberColumns.length > 1;
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 16,
    background: 'white',
    title: { text: answer.title, anchor: 'start', fontSize: 16, limit: width - 32 },
    config: { font: FONT, axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 280 }, legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', labelLimit: 320 } },
    data: { values: data },
  } as const;
  const order = rows.map((row) => (labelIndex >= 0 ? String(row[labelIndex]) : answer.columns[0]!.label));
  const color = series ? { color: { field: 'series', type: 'nominal', title: null, sort: numberColumns.map((entry) => entry.column.label) } } : {};
  if (line) {
    const spec = {
      ...base,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'label', type: 'ordinal', sort: order, title: labelTitle, axis: { labelAngle: -45 } },
        y: { field: 'value', type: 'quantitative', title: valueTitle, axis: { tickMinStep: 1 } },
        ...color,
      },
    } as unknown as TopLevelSpec;
    return { spec, kind: 'line', data };
  }
  const encoding = {
    y: { field: 'label', type: 'nominal', sort: order, title: labelTitle || null },
    x: { field: 'value', type: 'quantitative', title: valueTitle, axis: { tickMinStep: 1 } },
    ...(series ? { yOffset: { field: 'series', type: 'nominal', sort: numberColumns.map((entry) => entry.column.label) } } : {}),
    ...color,
  };
  // One series: the value is written at the end of each bar, so the exact numbers read off the picture.
  const spec = (
    series
      ? { ...base, mark: { type: 'bar' }, encoding }
      : {
          ...base,
          encoding,
          layer: [{ mark: { type: 'bar' } }, { mark: { type: 'text', align: 'left', dx: 4, fontSize: 12 }, encoding: { text: { field: 'value', type: 'quantitative' } } }],
        }
  ) as unknown as TopLevelSpec;
  return { spec, kind: 'bar', data };
}

/** A short description of the chart: its kind, title and the first values. */
export function chartAlt(answer: StatsAnswer, kind: 'bar' | 'line'): string {
  const texts = statsTexts(answer.language);
  const labelIndex = answer.columns.findIndex((column) => column.type === 'text');
  const shown = answer.rows.slice(0, 12).map((row) => {
    const values = row.filter((_cell, index) => index !== labelIndex).join(' / ');
    return labelIndex >= 0 ? `${row[labelIndex]} ${values}` : values;
  });
  const more = answer.rows.length > 12 ? [texts.t('chart.more', { count: answer.rows.length - 12 })] : [];
  const items = shown.length ? [...shown, ...more].join(', ') : texts.t('chart.empty');
  return texts.t('chart.alt', { type: texts.t(kind === 'line' ? 'chart.line' : 'chart.bar'), title: answer.title, items });
}

/** Renders an answer as a PNG chart (about 50–150 ms). */
export async function renderChart(answer: StatsAnswer, options: ChartOptions = {}): Promise<StatsChart> {
  const width = options.width ?? 800;
  const height = options.height ?? 450;
  const scale = options.scale ?? 1;
  const { spec, kind } = chartSpec(answer, { width, height });
  const view = new View(parseVega(compile(spec).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width * scale) },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: fonts(), defaultFontFamily: 'Noto Sans', sansSerifFamily: 'Noto Sans' },
  });
  const image = resvg.render();
  const png = new Uint8Array(image.asPng());
  return { png, alt: chartAlt(answer, kind), width: image.width, height: image.height, spec };
}
