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

/**
 * Render a Vega-Lite spec to SVG in Node: no browser, no network (data is inline). The output is
 * a function of the spec alone: dates are placed and labelled in UTC (a `utc` scale, never the
 * host's time zone), and text is measured by Vega's built-in estimate, not a canvas.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function shareByRegionSpec(title: string, rows: { period_end: string; region: string; share: number }[]): TopLevelSpec {
  const order = Object.keys(REGION_COLOURS);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: 640,
    height: 300,
    background: 'white',
    data: { values: rows },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'period_end', type: 'temporal', title: 'Week ending (UTC)', scale: { type: 'utc' }, axis: { format: '%Y-%m-%d', labelAngle: -30 } },
      y: { field: 'share', type: 'quantitative', title: 'Share of downloads in the week', axis: { format: '.0%' } },
      color: {
        field: 'region',
        type: 'nominal',
        title: 'Origin',
        scale: { domain: order, range: order.map((r) => REGION_COLOURS[r]!) },
        legend: { orient: 'right', labelLimit: 0 },
      },
    },
    config: { font: 'sans-serif' },
  };
}

export function familyCumulativeSpec(title: string, rows: { window_end: string; family: string; downloads: number }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: 640,
    height: 300,
    background: 'white',
    data: { values: rows },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'window_end', type: 'temporal', title: 'Snapshot date (UTC)', scale: { type: 'utc' }, axis: { format: '%Y-%m-%d', labelAngle: -30 } },
      y: { field: 'downloads', type: 'quantitative', title: 'All-time downloads (since each model was created)', axis: { format: '~s' } },
      color: { field: 'family', type: 'nominal', title: 'Family', scale: { domain: ['Qwen', 'Llama'], range: ['#d62728', '#1f77b4'] } },
    },
    config: { font: 'sans-serif' },
  };
}

export function coverageSpec(title: string, rows: { window_end: string; mode: string; coverage: number }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: 640,
    height: 260,
    background: 'white',
    data: { values: rows },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'window_end', type: 'temporal', title: 'Week ending (UTC)', scale: { type: 'utc' }, axis: { format: '%Y-%m-%d', labelAngle: -30 } },
      y: { field: 'coverage', type: 'quantitative', title: 'Downloads with a known origin', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'mode', type: 'nominal', title: 'Attribution', scale: { domain: ['uploader', 'lineage'], range: ['#1f77b4', '#ff7f0e'] } },
    },
    config: { font: 'sans-serif' },
  };
}
