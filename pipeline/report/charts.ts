import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Colours per region, chosen to stay apart for common colour-vision deficiencies. */
export const REGION_COLOURS: Record<string, string> = {
  China: '#d62728',
  'United States': '#1f77b4',
  Europe: '#2ca02c',
  'International/Online': '#9467bd',
  'Rest of world': '#8c564b',
  Unknown: '#a0a0a0',
};
const REGIONS = Object.keys(REGION_COLOURS);
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Render a Vega-Lite spec to SVG in Node: no browser, no network (data is inline). The output is
 * a function of the spec alone: dates are placed and labelled in UTC (a `utc` scale, never the
 * host's time zone), and text is measured by Vega's built-in estimate, not a canvas. Every point
 * gets a `<title>` with its exact values (from the mark's accessible description), which a
 * browser shows on hover with no script.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.replace(/<path( aria-label="([^"]*)" role="graphics-symbol"[^>]*?)\/>/g, '<path$1><title>$2</title></path>');
  } finally {
    view.finalize();
  }
}

/**
 * A time axis whose ticks sit on snapshot dates (a default time axis puts weekly ticks on
 * Sundays, whatever day the snapshots were taken): every date when few, else every k-th from the
 * newest backwards, so the report date always has a tick.
 */
export function snapshotAxis(dates: readonly string[], title: string): Record<string, unknown> {
  const sorted = [...new Set(dates)].sort();
  const step = Math.max(1, Math.ceil(sorted.length / 13));
  const values = sorted.filter((_, i) => (sorted.length - 1 - i) % step === 0).map((d) => Date.parse(`${d}T00:00:00Z`));
  return { title, format: '%Y-%m-%d', labelAngle: -30, values, labelOverlap: false, grid: true };
}

const pct2 = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–');
const int = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');

/** Each point's exact values as one line: its accessible description and its hover text. */
const labelled = <T extends object>(rows: readonly T[], label: (r: T) => string): (T & { label: string })[] => rows.map((r) => ({ ...r, label: label(r) }));
const describe = { description: { field: 'label' }, tooltip: { field: 'label' } } as const;

function base(title: string, subtitle?: string): Partial<TopLevelSpec> {
  return {
    $schema: SCHEMA,
    title: { text: title, anchor: 'start', fontSize: 14, ...(subtitle ? { subtitle, subtitleFontSize: 11 } : {}) },
    background: 'white',
    config: { font: 'sans-serif' },
  } as Partial<TopLevelSpec>;
}

const regionColour = { field: 'region', type: 'nominal', title: 'Origin', scale: { domain: REGIONS, range: REGIONS.map((r) => REGION_COLOURS[r]!) }, legend: { orient: 'right', labelLimit: 0 } } as const;

/** Each region's share of the downloads of each period. */
export function shareByRegionSpec(title: string, rows: readonly { period_end: string; region: string; share: number }[]): TopLevelSpec {
  return {
    ...base(title),
    width: 640,
    height: 300,
    data: { values: labelled(rows, (r) => `Period ending ${r.period_end}; ${r.region}: ${pct2(r.share)} of the period’s downloads`) },
    mark: { type: 'line', point: { size: 24 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'period_end', type: 'temporal', scale: { type: 'utc' }, axis: snapshotAxis(rows.map((r) => r.period_end), 'Period ending (UTC)') },
      y: { field: 'share', type: 'quantitative', title: 'Share of the period’s downloads', axis: { format: '.0%' } },
      color: regionColour,
      ...describe,
    },
  } as TopLevelSpec;
}

/**
 * The study's figure: each region's share of the trailing year's downloads at every snapshot,
 * with a band for China and the United States from the measured share up to the share they would
 * have if every unattributed download were theirs.
 */
export function trailingYearSpec(title: string, subtitle: string, rows: readonly { window_end: string; region: string; share: number; share_high: number }[]): TopLevelSpec {
  const x = { field: 'window_end', type: 'temporal', scale: { type: 'utc' }, axis: snapshotAxis(rows.map((r) => r.window_end), 'Trailing year ending (UTC)') };
  return {
    ...base(title, subtitle),
    width: 640,
    height: 320,
    data: {
      values: labelled(rows.map((r) => ({ ...r, band: r.region })), (r) =>
        r.region === 'Unknown'
          ? `Trailing year ending ${r.window_end}; Unknown: ${pct2(r.share)} of the downloads not attributed`
          : `Trailing year ending ${r.window_end}; ${r.region}: ${pct2(r.share)} of the downloads (up to ${pct2(r.share_high)} with every unattributed download)`,
      ),
    },
    layer: [
      {
        transform: [{ filter: "datum.region === 'China' || datum.region === 'United States'" }],
        mark: { type: 'area', opacity: 0.14, aria: false },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative' },
          y2: { field: 'share_high' },
          // its own field and channel, so no legend merges with the lines' (or takes the band's opacity)
          fill: { field: 'band', type: 'nominal', scale: { domain: REGIONS, range: REGIONS.map((r) => REGION_COLOURS[r]!) }, legend: null },
        },
      },
      {
        mark: { type: 'line', point: { size: 24 }, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', title: 'Share of the trailing year’s downloads', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color: regionColour,
          ...describe,
        },
      },
    ],
  } as TopLevelSpec;
}

/** Qwen and Llama on one running measure, originals alone (dashed) and with derivatives. */
export function familySpec(title: string, yTitle: string, rows: readonly { window_end: string; family: string; scope: string; downloads: number }[]): TopLevelSpec {
  const data = labelled(
    rows.map((r) => ({ ...r, scope: r.scope === 'originals' ? 'originals only' : 'with derivatives' })),
    (r) => `${r.window_end}; ${r.family}, ${r.scope}: ${int(r.downloads)} downloads`,
  );
  return {
    ...base(title),
    width: 640,
    height: 300,
    data: { values: data },
    encoding: {
      x: { field: 'window_end', type: 'temporal', scale: { type: 'utc' }, axis: snapshotAxis(rows.map((r) => r.window_end), 'Snapshot date (UTC)') },
      y: { field: 'downloads', type: 'quantitative', title: yTitle, axis: { format: '~s' } },
      color: { field: 'family', type: 'nominal', title: 'Family', scale: { domain: ['Qwen', 'Llama'], range: ['#d62728', '#1f77b4'] } },
      ...describe,
    },
    // Lines and points in layers of their own: with the points on the line mark, the legend of
    // the dashes drew the same dot for both scopes.
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { strokeDash: { field: 'scope', type: 'nominal', title: 'Models', scale: { domain: ['with derivatives', 'originals only'], range: [[1, 0], [5, 3]] } } },
      },
      { mark: { type: 'point', filled: true, size: 24 }, encoding: { detail: { field: 'scope', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}

/** HHI and the top-10 namespaces' share, period by period, one above the other. */
export function concentrationSpec(title: string, rows: readonly { window_end: string; hhi: number; top10_share: number }[]): TopLevelSpec {
  const x = { field: 'window_end', type: 'temporal', scale: { type: 'utc' }, axis: snapshotAxis(rows.map((r) => r.window_end), 'Period ending (UTC)') };
  const tooltip = describe;
  return {
    ...base(title),
    data: { values: labelled(rows, (r) => `Period ending ${r.window_end}; HHI ${int(r.hhi)}; top 10 namespaces ${pct2(r.top10_share)} of the downloads`) },
    vconcat: [
      {
        width: 640,
        height: 160,
        mark: { type: 'line', point: { size: 24 }, strokeWidth: 2, color: '#555' },
        encoding: { x: { ...x, axis: { ...x.axis, title: null, labels: false } }, y: { field: 'hhi', type: 'quantitative', title: 'HHI (0–10,000)' }, ...tooltip },
      },
      {
        width: 640,
        height: 160,
        mark: { type: 'line', point: { size: 24 }, strokeWidth: 2, color: '#9467bd' },
        encoding: { x, y: { field: 'top10_share', type: 'quantitative', title: 'Top 10 namespaces’ share', axis: { format: '.0%' } }, ...tooltip },
      },
    ],
  } as TopLevelSpec;
}

/** The share of each period's downloads with a known origin, both modes. */
export function coverageSpec(title: string, rows: readonly { window_end: string; mode: string; coverage: number }[]): TopLevelSpec {
  return {
    ...base(title),
    width: 640,
    height: 260,
    data: { values: labelled(rows, (r) => `Period ending ${r.window_end}; ${r.mode} attribution: ${pct2(r.coverage)} of the downloads with a known origin`) },
    mark: { type: 'line', point: { size: 24 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'window_end', type: 'temporal', scale: { type: 'utc' }, axis: snapshotAxis(rows.map((r) => r.window_end), 'Period ending (UTC)') },
      y: { field: 'coverage', type: 'quantitative', title: 'Downloads with a known origin', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'mode', type: 'nominal', title: 'Attribution', scale: { domain: ['uploader', 'lineage'], range: ['#1f77b4', '#ff7f0e'] } },
      ...describe,
    },
  } as TopLevelSpec;
}
