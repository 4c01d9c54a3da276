import { countryName } from '../build/registry.js';
import { humanCount, pct, pp } from './format.js';
import { mdTable } from './markdown.js';

type Row = Record<string, unknown>;

export interface ReportData {
  readonly asOf: string;
  readonly synthetic: boolean;
  readonly registryShipped: boolean;
  readonly tables: Readonly<Record<string, Row[]>>;
}

const METRIC_LABEL: Record<string, string> = {
  trailing: 'Trailing 52 weeks',
  period: 'Last period',
  cumulative: 'Cumulative since the first snapshot',
  all_time: 'All-time (downloads since each model was created)',
  window30: 'Last 30 days (the Hub’s 30-day counter)',
};
const REGIONS = ['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown'];

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function days(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

function headlineOf(d: ReportData): string {
  const rows = d.tables.headline ?? [];
  const up = rows.find((r) => r.mode === 'uploader');
  const lin = rows.find((r) => r.mode === 'lineage');
  if (!up) return `No period has been measured yet as of ${d.asOf}: a second snapshot is needed.`;
  const span = days(str(up.window_start), str(up.window_end));
  const window = span >= 364 ? 'Over the last 52 weeks' : `Over the ${Math.round(span / 7)} weeks of history so far (${str(up.window_start)} to ${str(up.window_end)}; less than the 52 weeks the trailing metric aims at)`;
  let s = `${window}, Chinese-origin models took ${pct(num(up.cn_share))} of downloads against ${pct(num(up.us_share))} for US-origin models (uploader attribution)`;
  if (lin) s += `; under lineage attribution, ${pct(num(lin.cn_share))} against ${pct(num(lin.us_share))}`;
  return `${s}.`;
}

function regionsSection(d: ReportData): string {
  const rows = d.tables.regions ?? [];
  const parts: string[] = [];
  for (const metric of Object.keys(METRIC_LABEL)) {
    const mrows = rows.filter((r) => r.metric === metric);
    if (mrows.length === 0) continue;
    const get = (mode: string, region: string): Row | undefined => mrows.find((r) => r.mode === mode && r.region === region);
    const anyRow = mrows[0]!;
    const window = anyRow.window_start ? `${str(anyRow.window_start)} to ${str(anyRow.window_end)}` : `as of ${str(anyRow.window_end)}`;
    const table = mdTable(
      ['Region', 'Uploader share', 'Change', 'Lineage share', 'Change'],
      REGIONS.filter((r) => get('uploader', r) || get('lineage', r)).map((region) => {
        const u = get('uploader', region);
        const l = get('lineage', region);
        return [region, pct(num(u?.share)), pp(num(u?.change)), pct(num(l?.share)), pp(num(l?.change))];
      }),
      ['l', 'r', 'r', 'r', 'r'],
    );
    parts.push(`### ${METRIC_LABEL[metric]} (${window})\n\n${table}`);
  }
  return parts.join('\n\n');
}

function trendSection(d: ReportData): string {
  const rows = d.tables.trend ?? [];
  const weeks = [...new Set(rows.map((r) => str(r.period_end)))].sort();
  const out: string[] = [];
  for (const mode of ['uploader', 'lineage']) {
    const table = mdTable(
      ['Week ending', ...REGIONS],
      weeks.map((w) => [w, ...REGIONS.map((region) => pct(num(rows.find((r) => r.mode === mode && str(r.period_end) === w && r.region === region)?.share)))]),
      ['l', ...REGIONS.map(() => 'r' as const)],
    );
    out.push(`#### ${mode === 'uploader' ? 'Uploader' : 'Lineage'} attribution\n\n![Share of weekly downloads by origin, ${mode} attribution](charts/share_by_region_${mode}.svg)\n\n${table}`);
  }
  return out.join('\n\n');
}

function crossoverSection(d: ReportData): string {
  const rows = d.tables.crossovers ?? [];
  if (rows.length === 0) return 'No change of leader in the history so far.';
  return mdTable(
    ['Pair', 'Metric', 'Mode / scope', 'New leader', 'Overtook', 'At', 'Last behind at'],
    rows.map((r) => [r.pair, r.metric, r.mode, r.leader, r.overtaken, r.crossed_at, r.last_behind_at]),
  );
}

function qwenSection(d: ReportData): string {
  const rows = d.tables.qwen_vs_llama ?? [];
  if (rows.length === 0) return 'Neither family appears in the data.';
  return `![Qwen vs Llama: all-time downloads, derivatives included](charts/qwen_vs_llama_cumulative.svg)\n\n${mdTable(
    ['Metric', 'Scope', 'Qwen', 'Llama', 'Qwen share', 'Llama share'],
    rows.map((r) => [METRIC_LABEL[str(r.metric)] ?? r.metric, r.scope, humanCount(num(r.qwen_downloads)), humanCount(num(r.llama_downloads)), pct(num(r.qwen_share)), pct(num(r.llama_share))]),
    ['l', 'l', 'r', 'r', 'r', 'r'],
  )}`;
}

function topSection(d: ReportData): string {
  const ns = mdTable(
    ['#', 'Namespace', 'Origin', 'Kind', 'Downloads (trailing)', 'Share', 'All-time'],
    (d.tables.top_namespaces ?? []).map((r) => [r.rank, r.namespace, countryName(str(r.origin)), r.kind, humanCount(num(r.downloads)), pct(num(r.share)), humanCount(num(r.downloads_all_time))]),
    ['r', 'l', 'l', 'l', 'r', 'r', 'r'],
  );
  const fam = mdTable(
    ['Family', 'With derivatives', 'Share', 'Originals only', 'Share'],
    (d.tables.top_families ?? []).map((r) => [r.family, humanCount(num(r.downloads)), pct(num(r.share)), humanCount(num(r.originals_downloads)), pct(num(r.originals_share))]),
    ['l', 'r', 'r', 'r', 'r'],
  );
  return `### Top namespaces (uploader)\n\n${ns}\n\n### Top families (lineage roots)\n\n${fam}`;
}

function concentrationSection(d: ReportData): string {
  const rows = (d.tables.concentration ?? []).filter((r) => r.metric === 'period');
  const last = rows.slice(-8);
  return mdTable(
    ['Week ending', 'Namespaces with downloads', 'HHI (0–10,000)', 'Gini'],
    last.map((r) => [r.window_end, r.namespaces, Math.round(num(r.hhi) ?? 0), (num(r.gini) ?? 0).toFixed(3)]),
    ['l', 'r', 'r', 'r'],
  );
}

function coverageSection(d: ReportData): string {
  const cov = (d.tables.coverage ?? []).filter((r) => str(r.window_end) === d.asOf);
  const t = mdTable(
    ['Metric', 'Mode', 'Known origin'],
    cov.map((r) => [METRIC_LABEL[str(r.metric)] ?? r.metric, r.mode, pct(num(r.coverage))]),
    ['l', 'l', 'r'],
  );
  const un = mdTable(
    ['Namespace', 'Models', 'All-time downloads', 'Last 30 days', 'Largest models'],
    (d.tables.unmapped ?? []).slice(0, 10).map((r) => [r.namespace, r.models, humanCount(num(r.downloads_all_time)), humanCount(num(r.downloads_30d)), Array.isArray(r.top_models) ? r.top_models.join(', ') : r.top_models]),
    ['l', 'r', 'r', 'r', 'l'],
  );
  return `![Registry coverage](charts/coverage.svg)\n\n${t}\n\n### Unmapped namespaces (add these to the registry next)\n\n${un}`;
}

function qualitySection(d: ReportData): string {
  const rows = (d.tables.data_quality ?? []).filter((r) => str(r.snapshot) === d.asOf);
  if (rows.length === 0) return 'Nothing to report for this snapshot.';
  return mdTable(
    ['Kind', 'Item', 'Models', 'Downloads'],
    rows.map((r) => [r.kind, r.item, r.models, r.downloads === null ? '' : r.downloads]),
    ['l', 'l', 'r', 'r'],
  );
}

const METHODOLOGY = `- **Period downloads.** Between two snapshots a model's downloads are the growth of its all-time counter. A model new since the previous snapshot counts its whole all-time counter; one seen for the first time but created earlier (it was private, or below a partial crawl's threshold) counts at most its 30-day counter scaled to the period; a model that vanished counts 0; a counter that fell counts 0. Each rule is counted in *Data quality*.
- **Uploader attribution** (the view of the MIT / Hugging Face "Economies of Open Intelligence" study): a model belongs to the country of the namespace that uploaded it, after renames and legacy ids are resolved. Re-uploaders keep their own country, which is why "International/Online" and "Unknown" are large.
- **Lineage attribution**: a model belongs to the country of the original model(s) it derives from (fine-tunes, adapters, quantizations and merges followed to their roots; a merge of r roots gives each 1/r).
- **Shares** are of *all* downloads in the window, unknown included; coverage is the share with a known origin. A namespace without a registry row is reported as unknown, never guessed.
- **Metrics.** Trailing: the periods of the last 52 weeks; cumulative: every period since the first snapshot; all-time: the Hub's since-creation counters summed at one snapshot (the "Qwen overtook Llama in cumulative downloads" measure); last 30 days: the Hub's rolling 30-day counters at one snapshot.
- **Caveats.** Hub download counts include automated and CI traffic and count each GGUF file separately; the 30-day counters of two snapshots are never added up.`;

/** The Markdown of the report, and its headline sentence. */
export function renderMarkdown(d: ReportData): { markdown: string; headline: string } {
  const headline = headlineOf(d);
  const inputs = d.tables.inputs ?? [];
  const parts: string[] = [];
  if (d.synthetic) {
    parts.push('> **Synthetic data.** This report was made from the bundled synthetic hub, not from the Hugging Face Hub. Its figures illustrate the method and mean nothing about real downloads.');
  }
  parts.push(`# Hugging Face Hub downloads by model origin, as of ${d.asOf}`);
  parts.push(`**${headline}**`);
  parts.push(`## China, the United States and other regions\n\n${regionsSection(d)}`);
  parts.push(`## Trend by week\n\n${trendSection(d)}`);
  parts.push(`## Crossovers\n\n${crossoverSection(d)}`);
  parts.push(`## Qwen against Llama\n\n${qwenSection(d)}`);
  parts.push(`## Who is downloaded\n\n${topSection(d)}`);
  parts.push(`## Concentration over uploader namespaces (last 8 weeks)\n\n${concentrationSection(d)}`);
  parts.push(`## Registry coverage\n\n${coverageSection(d)}`);
  parts.push(`## Data quality (snapshot ${d.asOf})\n\n${qualitySection(d)}`);
  parts.push(`## Methodology\n\n${METHODOLOGY}`);
  parts.push(
    `## Inputs\n\n${inputs.length} snapshots from ${str(inputs[0]?.snapshot)} to ${str(inputs.at(-1)?.snapshot)}; registry: ${d.registryShipped ? 'the one shipped with hubtrends' : "the warehouse's own"}. Every input's sha256 is in \`manifest.json\`; every table is also a CSV file beside this report.`,
  );
  return { markdown: `${parts.join('\n\n')}\n`, headline };
}
