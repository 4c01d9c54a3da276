import { countryName } from '../build/registry.js';
import { cell, type Block, type Cell, type Inline, type Mode, type ReportDocument } from './document.js';
import { humanCount, pct, pctRange, pp } from './format.js';

type Row = Record<string, unknown>;

export interface ReportData {
  readonly asOf: string;
  readonly synthetic: boolean;
  readonly registryShipped: boolean;
  readonly tables: Readonly<Record<string, Row[]>>;
}

const REGIONS = ['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown'];
const MODES: readonly Mode[] = ['uploader', 'lineage'];
const MODE_NAME: Record<Mode, string> = { uploader: 'Uploader attribution', lineage: 'Lineage attribution' };
const SCOPE_NAME: Record<string, string> = { with_derivatives: 'with derivatives', originals: 'originals only' };
const PAIR_NAME: Record<string, string> = { CN: 'China', US: 'the United States', Qwen: 'Qwen', Llama: 'Llama' };

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const days = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const h = (level: 1 | 2 | 3 | 4, text: Inline, id?: string): Block => (id ? { kind: 'heading', level, text, id } : { kind: 'heading', level, text });
const p = (text: Inline, role?: 'headline' | 'notice'): Block => (role ? { kind: 'paragraph', text, role } : { kind: 'paragraph', text });
const shareCell = (v: unknown): Cell => cell(pct(num(v) ?? 0), num(v) ?? 0);
const countCell = (v: unknown): Cell => cell(humanCount(num(v)), num(v));

/**
 * The reader's name of each measure with the window it covers, e.g. "Trailing year (trailing
 * window, 25 of 52 weeks of history: 2025-03-03 to 2025-08-25)". "Cumulative" is never shown
 * alone: the two running measures are "since the first snapshot" and "all-time".
 */
export function measureTitle(metric: string, windowStart: string, windowEnd: string): string {
  const span = windowStart ? days(windowStart, windowEnd) : 0;
  const weeks = Math.floor(span / 7);
  switch (metric) {
    case 'trailing':
      return span >= 364
        ? `Trailing year (52 weeks: ${windowStart} to ${windowEnd})`
        : `Trailing year (trailing window, ${weeks} of 52 weeks of history: ${windowStart} to ${windowEnd})`;
    case 'period':
      return span === 7 ? `Latest week (${windowStart} to ${windowEnd})` : `Latest period (${span} days: ${windowStart} to ${windowEnd})`;
    case 'cumulative':
      return `Downloads since the first snapshot (${weeks} weeks: ${windowStart} to ${windowEnd})`;
    case 'all_time':
      return `All-time downloads (the Hub’s counter since each model’s creation, as of ${windowEnd})`;
    case 'window30':
      return `Last 30 days (the Hub’s 30-day counter: ${windowStart} to ${windowEnd})`;
    default:
      return metric;
  }
}

/** Short measure names for table cells. */
function measureShort(metric: string, weeks: number): string {
  switch (metric) {
    case 'trailing':
      return weeks >= 52 ? 'trailing year' : `trailing year (${weeks} of 52 weeks)`;
    case 'period':
      return 'latest period';
    case 'cumulative':
      return `since the first snapshot (${weeks} weeks)`;
    case 'all_time':
      return 'all-time (Hub counter since creation)';
    case 'window30':
      return 'last 30 days (Hub counter)';
    default:
      return metric;
  }
}

/**
 * "week" when every period between snapshots is seven days (a weekly schedule), else "period":
 * a backfill of monthly files must not be read as weekly figures.
 */
export function periodNoun(periods: readonly { period_start?: unknown; period_end?: unknown }[]): 'week' | 'period' {
  return periods.length > 0 && periods.every((r) => days(str(r.period_start), str(r.period_end)) === 7) ? 'week' : 'period';
}

function weeksOf(r: Row | undefined): number {
  return r && r.window_start ? Math.floor(days(str(r.window_start), str(r.window_end)) / 7) : 0;
}

function figure(text: string, origin: string, mode: string, field: string, value: number | null): Inline {
  return { figure: text, data: { origin, mode, field, value: value === null ? '' : String(value) } };
}

const KIND_NAME: Record<string, string> = {
  unmapped_org: 'organisations not yet in the registry',
  individual: 'individual users',
  not_looked_up: 'namespaces not looked up on the Hub',
};

/** "Of the 39.0% not attributed, 21.0% comes from individual users, …", or null without the split. */
function unattributedSplit(d: ReportData, metric: string, mode: string): string | null {
  const rows = (d.tables.unattributed ?? []).filter((r) => r.metric === metric && r.mode === mode);
  const total = rows.reduce((a, r) => a + (num(r.share) ?? 0), 0);
  if (rows.length === 0 || total <= 0) return null;
  const parts = ['unmapped_org', 'individual', 'not_looked_up'].map((k) => `${pct(num(rows.find((r) => r.kind === k)?.share) ?? 0)} from ${KIND_NAME[k]}`);
  return `Of the ${pct(total)} not attributed, ${parts[0]}, ${parts[1]} and ${parts[2]}.`;
}

/**
 * The first paragraph: what a reader can quote. China's and the US's shares of the trailing
 * year's downloads, with the window, the measure, the range left open by unattributed downloads,
 * and the unattributed share itself.
 */
function headline(d: ReportData): { text: Inline; plain: string } {
  const rows = d.tables.headline ?? [];
  const up = rows.find((r) => r.mode === 'uploader');
  const lin = rows.find((r) => r.mode === 'lineage');
  if (!up) {
    const s = `No period has been measured yet as of ${d.asOf}: a second snapshot is needed.`;
    return { text: s, plain: s };
  }
  const weeks = num(up.weeks) ?? 0;
  const window =
    up.full_window === true
      ? `In the trailing year to ${str(up.window_end)} (52 weeks from ${str(up.window_start)})`
      : `In the trailing year to ${str(up.window_end)} (a trailing window of only ${weeks} of 52 weeks: the history starts ${str(up.window_start)})`;
  const parts: Inline[] = [
    `${window}, models from China took `,
    figure(pct(num(up.cn_share)), 'CN', 'uploader', 'share', num(up.cn_share)),
    ` of Hub downloads (`,
    figure(pctRange(num(up.cn_share), num(up.cn_share_high)), 'CN', 'uploader', 'range', num(up.cn_share_high)),
    ` depending on the `,
    figure(pct(num(up.unattributed_share)), 'unknown', 'uploader', 'share', num(up.unattributed_share)),
    ` not yet attributed to any country) and models from the United States `,
    figure(pct(num(up.us_share)), 'US', 'uploader', 'share', num(up.us_share)),
    ` (`,
    figure(pctRange(num(up.us_share), num(up.us_share_high)), 'US', 'uploader', 'range', num(up.us_share_high)),
    `), by uploader attribution. Of the downloads with a known origin, China had ${pct(num(up.cn_share_of_attributed))} and the United States ${pct(num(up.us_share_of_attributed))}.`,
  ];
  const split = unattributedSplit(d, 'trailing', 'uploader');
  if (split) parts.push(` ${split}`);
  let plain = `${window}, models from China took ${pct(num(up.cn_share))} of Hub downloads (${pctRange(num(up.cn_share), num(up.cn_share_high))} depending on the ${pct(num(up.unattributed_share))} not yet attributed to any country) and models from the United States ${pct(num(up.us_share))} (${pctRange(num(up.us_share), num(up.us_share_high))}), by uploader attribution.${split ? ` ${split}` : ''}`;
  if (lin) {
    const linText = ` By lineage attribution (the country of the original models), China ${pct(num(lin.cn_share))} and the United States ${pct(num(lin.us_share))}, with ${pct(num(lin.unattributed_share))} not attributed.`;
    parts.push(' By lineage attribution (the country of the original models), China ', figure(pct(num(lin.cn_share)), 'CN', 'lineage', 'share', num(lin.cn_share)), ' and the United States ', figure(pct(num(lin.us_share)), 'US', 'lineage', 'share', num(lin.us_share)), `, with ${pct(num(lin.unattributed_share))} not attributed.`);
    plain += linText;
  }
  return { text: parts, plain };
}

function howToRead(d: ReportData): Block[] {
  const up = (d.tables.headline ?? []).find((r) => r.mode === 'uploader');
  const weeks = num(up?.weeks) ?? 0;
  return [
    h(2, 'How to read the figures', 'how-to-read'),
    {
      kind: 'list',
      items: [
        [{ strong: 'Uploader attribution' }, ' (the view of the MIT / Hugging Face “Economies of Open Intelligence” study): a model counts for the country of the organisation or person that uploaded it. Re-uploaders such as quantizers keep their own country, usually International/Online.'],
        [{ strong: 'Lineage attribution' }, ' (the ATOM Project’s view): a model counts for the country of the original model(s) it was fine-tuned, quantized or merged from; a merge of r originals gives each 1/r.'],
        [{ strong: 'Shares' }, ' are of all downloads in the window, the unattributed ones included. ', { strong: 'Unknown' }, ' is the share whose uploader (or original) has no row in the registry of organisations yet. The ', { strong: 'range' }, ' of a share runs from the share as measured to the share it would be if every unattributed download belonged to that origin.'],
        [{ strong: 'Trailing year' }, `: downloads in the 52 weeks up to the report date, the measure of the study (China 17.1%, US 15.8% in the year to August 2025).${weeks < 52 && up ? ` Here the history covers only ${weeks} weeks, and every title says so.` : ''}`],
        [{ strong: 'Downloads since the first snapshot' }, ': all downloads measured between the first snapshot and the report date. ', { strong: 'All-time downloads' }, ': the Hub’s own counter since each model was created, read from one snapshot; this is the measure of the “Qwen overtook Llama in cumulative downloads” comparisons. The two differ: all-time counts years before our first snapshot.'],
        [{ strong: 'Latest week' }, ': the downloads of the last period between two snapshots. ', { strong: 'Last 30 days' }, ': the Hub’s rolling 30-day counter at the report date.'],
        [{ strong: 'Change' }, ': percentage points (pp) against the same measure at the previous snapshot.'],
      ],
    },
  ];
}

function regionsSection(d: ReportData): Block[] {
  const rows = d.tables.regions ?? [];
  const out: Block[] = [
    h(2, 'China, the United States and other regions', 'regions'),
    p('Each table below gives every region’s share of all downloads of one measure, under both attributions. Share: of all downloads in the window; Range: from the share to the share with every unattributed download added; Change: percentage points against the previous snapshot.'),
  ];
  const windowOf = (metric: string): Row | undefined => rows.find((r) => r.metric === metric);
  const trailing = windowOf('trailing');
  for (const metric of ['trailing', 'period', 'cumulative', 'all_time', 'window30']) {
    const mrows = rows.filter((r) => r.metric === metric);
    const any = mrows[0];
    if (!any) continue;
    const title = measureTitle(metric, str(any.window_start), str(any.window_end));
    if (metric === 'cumulative' && trailing && str(trailing.window_start) === str(any.window_start)) {
      out.push(h(3, title), p(`The same ${weeksOf(any)} weeks as the trailing window above (the history is shorter than 52 weeks), so the same figures; they part once the history is longer than a year.`));
      continue;
    }
    const get = (mode: string, region: string): Row | undefined => mrows.find((r) => r.mode === mode && r.region === region);
    out.push(h(3, title), {
      kind: 'table',
      caption: `Share of ${metric === 'all_time' ? 'all-time downloads' : metric === 'window30' ? 'the last 30 days’ downloads' : metric === 'period' ? 'the period’s downloads' : metric === 'trailing' ? 'the trailing year’s downloads' : 'the downloads since the first snapshot'} by region of origin.`,
      header: ['Region', 'Uploader share', 'Uploader range', 'Change', 'Lineage share', 'Lineage range', 'Change'],
      align: ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: REGIONS.map((region) => {
        const u = get('uploader', region);
        const l = get('lineage', region);
        const range = (r: Row | undefined): Cell => (region === 'Unknown' ? cell('–', null) : cell(pctRange(num(r?.share), num(r?.share_high)), num(r?.share_high)));
        return [cell(region), shareCell(u?.share), range(u), cell(pp(num(u?.change)), num(u?.change)), shareCell(l?.share), range(l), cell(pp(num(l?.change)), num(l?.change))];
      }),
      csv: 'regions.csv',
    });
  }
  return out;
}

function unattributedSection(d: ReportData): Block[] {
  const rows = d.tables.unattributed ?? [];
  if (rows.length === 0) return [];
  const metrics = ['trailing', 'period', 'cumulative', 'all_time', 'window30'].filter((m) => rows.some((r) => r.metric === m));
  const get = (m: string, mode: string, kind: string): Row | undefined => rows.find((r) => r.metric === m && r.mode === mode && r.kind === kind);
  const kinds = ['unmapped_org', 'individual', 'not_looked_up'];
  return [
    h(3, 'What the unattributed downloads are'),
    {
      kind: 'table',
      caption:
        'The Unknown share of each measure split by who uploaded the models (uploader attribution) or the originals they derive from (lineage): organisations the Hub knows but the registry does not map yet (the curation queue), individual users (attributed only where they state a country publicly), and namespaces not looked up on the Hub (below the lookup threshold, unanswered, or legacy ids). Shares of all downloads; the three add up to Unknown.',
      header: ['Measure', 'Attribution', 'Organisations not in the registry', 'Individual users', 'Not looked up', 'Unknown'],
      align: ['l', 'l', 'r', 'r', 'r', 'r'],
      rows: metrics.flatMap((m) =>
        MODES.map((mode) => {
          const cells = kinds.map((k) => shareCell(get(m, mode, k)?.share));
          const total = kinds.reduce((a, k) => a + (num(get(m, mode, k)?.share) ?? 0), 0);
          return [cell(measureShort(m, weeksOf(get(m, mode, 'individual')))), cell(mode), ...cells, shareCell(total)];
        }),
      ),
      csv: 'unattributed.csv',
    },
  ];
}

function trailingTrendSection(d: ReportData): Block[] {
  const rows = d.tables.trailing_trend ?? [];
  if (rows.length === 0) return [];
  const last = (d.tables.headline ?? []).find((r) => r.mode === 'uploader');
  const lastWeek = (d.tables.regions ?? []).find((r) => r.metric === 'period' && r.mode === 'uploader' && r.region === 'China');
  const noun = periodNoun(d.tables.trend ?? []);
  const explain =
    last && lastWeek
      ? ` China’s share of the latest ${noun} alone was ${pct(num(lastWeek.share))}, against ${pct(num(last.cn_share))} over the trailing year: the trailing year averages every ${noun} in its window, so it moves slowly, while the shares of each ${noun} below move with it.`
      : '';
  const maxWeeks = Math.max(...rows.map((r) => num(r.weeks) ?? 0));
  const short = maxWeeks < 52 ? ` Until the history reaches 52 weeks, each point covers only the weeks since the first snapshot (at most ${maxWeeks} of 52 here).` : '';
  const out: Block[] = [
    h(2, 'The trailing-year share, week by week', 'trailing-trend'),
    p(`Each point is a region’s share of the downloads in the trailing year ending at that snapshot; the shaded band runs up to the share China or the United States would have if every unattributed download were theirs.${short}${explain}`),
  ];
  for (const mode of MODES) {
    out.push({ kind: 'mode', mode, blocks: [h(4, MODE_NAME[mode]), { kind: 'chart', file: `trailing_year_${mode}.svg`, alt: `Share of the trailing year’s downloads by origin at every snapshot, ${mode} attribution, with the range left by unattributed downloads` }] });
  }
  return out;
}

function weeklySection(d: ReportData): Block[] {
  const rows = d.tables.trend ?? [];
  const weeks = [...new Set(rows.map((r) => str(r.period_end)))].sort();
  const out: Block[] = [h(2, `Share of each ${periodNoun(rows)}’s downloads`, 'weekly'), p('The downloads of each period between two snapshots, by region of origin. These move faster than the trailing year.')];
  for (const mode of MODES) {
    out.push({
      kind: 'mode',
      mode,
      blocks: [
        h(4, MODE_NAME[mode]),
        { kind: 'chart', file: `share_by_region_${mode}.svg`, alt: `Share of each period’s downloads by origin, ${mode} attribution` },
        {
          kind: 'table',
          caption: `Share of each period’s downloads by region, ${mode} attribution; Unknown is the unattributed share.`,
          header: ['Period ending', ...REGIONS],
          align: ['l', ...REGIONS.map(() => 'r' as const)],
          rows: weeks.map((w) => [cell(w), ...REGIONS.map((region) => shareCell(rows.find((r) => r.mode === mode && str(r.period_end) === w && r.region === region)?.share))]),
          csv: 'trend.csv',
        },
      ],
    });
  }
  return out;
}

function crossoverSection(d: ReportData): Block[] {
  const rows = d.tables.crossovers ?? [];
  const out: Block[] = [h(2, 'Crossovers', 'crossovers')];
  if (rows.length === 0) return [...out, p('No change of leader in the history so far.')];
  const weeksFor = (metric: string): number => weeksOf((d.tables.regions ?? []).find((r) => r.metric === metric));
  out.push({
    kind: 'table',
    caption: 'Every change of leader up to the report date. Measure: what is compared; Attribution / models: the attribution mode (China vs US) or whether derivatives count (Qwen vs Llama); Date: the first snapshot with the new leader ahead; Behind at: the snapshot before.',
    header: ['Pair', 'Measure', 'Attribution / models', 'Change', 'Date', 'Behind at'],
    align: ['l', 'l', 'l', 'l', 'l', 'l'],
    rows: rows.map((r) => [
      cell(str(r.pair) === 'CN vs US' ? 'China vs US' : str(r.pair)),
      cell(measureShort(str(r.metric), weeksFor(str(r.metric)))),
      cell(SCOPE_NAME[str(r.mode)] ?? str(r.mode)),
      cell(`${PAIR_NAME[str(r.leader)] ?? str(r.leader)} overtook ${PAIR_NAME[str(r.overtaken)] ?? str(r.overtaken)}`),
      cell(str(r.crossed_at)),
      cell(str(r.last_behind_at)),
    ]),
    csv: 'crossovers.csv',
  });
  return out;
}

function qwenSection(d: ReportData): Block[] {
  const rows = d.tables.qwen_vs_llama ?? [];
  const out: Block[] = [h(2, 'Qwen against Llama', 'qwen-llama')];
  if (rows.length === 0) return [...out, p('Neither family appears in the data.')];
  const cumWeeks = weeksOf(rows.find((r) => r.metric === 'cumulative'));
  out.push(
    p('Two running measures, each in its own chart: all-time downloads (the Hub’s counter since each model’s creation, the measure behind “Qwen overtook Llama in cumulative downloads”) and downloads since the first snapshot. A crossover above is stated in one of them; read it on its chart. Solid lines count derivatives (fine-tunes, quantizations, merges) with their originals; dashed lines the originals only.'),
    { kind: 'chart', file: 'qwen_vs_llama_all_time.svg', alt: 'Qwen vs Llama: all-time downloads at every snapshot' },
    { kind: 'chart', file: 'qwen_vs_llama_since_first_snapshot.svg', alt: 'Qwen vs Llama: downloads since the first snapshot' },
    {
      kind: 'table',
      caption: 'Qwen and Llama at the report date on every measure. Models: originals only, or with every derivative; Share: of all downloads of the measure.',
      header: ['Measure', 'Models', 'Qwen', 'Llama', 'Qwen share', 'Llama share'],
      align: ['l', 'l', 'r', 'r', 'r', 'r'],
      rows: rows.map((r) => [
        cell(measureShort(str(r.metric), str(r.metric) === 'cumulative' ? cumWeeks : weeksOf(r))),
        cell(SCOPE_NAME[str(r.scope)] ?? str(r.scope)),
        countCell(r.qwen_downloads),
        countCell(r.llama_downloads),
        shareCell(r.qwen_share),
        shareCell(r.llama_share),
      ]),
      csv: 'qwen_vs_llama.csv',
    },
  );
  return out;
}

function topSection(d: ReportData): Block[] {
  const weeks = num((d.tables.headline ?? [])[0]?.weeks) ?? 0;
  const label = weeks >= 52 ? 'trailing year' : `trailing year, ${weeks} of 52 weeks`;
  return [
    h(2, 'Who is downloaded', 'top'),
    h(3, 'Top namespaces (uploader attribution)'),
    {
      kind: 'table',
      caption: `The 20 namespaces (organisations and users) whose models had the most downloads in the ${label}. Origin and kind: from the registry, Unknown when it has no row; Share: of all downloads; All-time: the Hub’s counter since creation, summed over the namespace’s models.`,
      header: ['#', 'Namespace', 'Origin', 'Kind', 'Downloads', 'Share', 'All-time'],
      align: ['r', 'l', 'l', 'l', 'r', 'r', 'r'],
      rows: (d.tables.top_namespaces ?? []).map((r) => [cell(str(r.rank), num(r.rank)), cell(str(r.namespace)), cell(countryName(str(r.origin))), cell(str(r.kind) || '–'), countCell(r.downloads), shareCell(r.share), countCell(r.downloads_all_time)]),
      csv: 'top_namespaces.csv',
    },
    h(3, 'Top families (lineage roots)'),
    {
      kind: 'table',
      caption: `Model families by downloads in the ${label}. With derivatives: the family’s originals and every model derived from them; Originals only: the family’s own uploads; Share: of all downloads.`,
      header: ['Family', 'With derivatives', 'Share', 'Originals only', 'Share'],
      align: ['l', 'r', 'r', 'r', 'r'],
      rows: (d.tables.top_families ?? []).map((r) => [cell(str(r.family)), countCell(r.downloads), shareCell(r.share), countCell(r.originals_downloads), shareCell(r.originals_share)]),
      csv: 'top_families.csv',
    },
  ];
}

function concentrationSection(d: ReportData): Block[] {
  const rows = (d.tables.concentration ?? []).filter((r) => r.metric === 'period');
  return [
    h(2, 'Concentration over uploader namespaces', 'concentration'),
    {
      kind: 'list',
      items: [
        [{ strong: 'HHI' }, ' (Herfindahl–Hirschman index): the sum of the squared percentage shares of every namespace, from near 0 (downloads spread over many) to 10,000 (one namespace takes all); above 2,500 counts as highly concentrated.'],
        [{ strong: 'Top 10 share' }, ': the share of all downloads that went to the ten namespaces with the most.'],
        [{ strong: 'Gini' }, ': 0 when every namespace with downloads has as many as the others, near 1 when a few take almost all.'],
      ],
    },
    { kind: 'chart', file: 'concentration.svg', alt: 'HHI and the top 10 namespaces’ share of each period’s downloads' },
    {
      kind: 'table',
      caption: 'Concentration of each period’s downloads over the namespaces that uploaded the models, last 8 periods (every period in concentration.csv).',
      header: ['Period ending', 'Namespaces with downloads', 'HHI (0–10,000)', 'Top 10 share', 'Gini'],
      align: ['l', 'r', 'r', 'r', 'r'],
      rows: rows.slice(-8).map((r) => [cell(str(r.window_end)), countCell(r.namespaces), cell(String(Math.round(num(r.hhi) ?? 0)), num(r.hhi)), shareCell(r.top10_share), cell((num(r.gini) ?? 0).toFixed(3), num(r.gini))]),
      csv: 'concentration.csv',
    },
  ];
}

function coverageSection(d: ReportData): Block[] {
  const cov = (d.tables.coverage ?? []).filter((r) => str(r.window_end) === d.asOf);
  const metrics = ['trailing', 'period', 'cumulative', 'all_time', 'window30'].filter((m) => cov.some((r) => r.metric === m));
  const byMode = (m: string, mode: string): Row | undefined => cov.find((r) => r.metric === m && r.mode === mode);
  const queue = d.tables.curation ?? [];
  return [
    h(2, 'Registry coverage', 'coverage'),
    p('The share of downloads whose origin is known: the complement of Unknown. Under lineage attribution a derivative of a known original is attributed even when its uploader is not.'),
    { kind: 'chart', file: 'coverage.svg', alt: 'Share of each period’s downloads with a known origin, both attributions' },
    {
      kind: 'table',
      caption: 'Share of downloads with a known origin at the report date, by measure and attribution.',
      header: ['Measure', 'Uploader', 'Lineage'],
      align: ['l', 'r', 'r'],
      rows: metrics.map((m) => [cell(measureShort(m, weeksOf(byMode(m, 'uploader')))), shareCell(byMode(m, 'uploader')?.coverage), shareCell(byMode(m, 'lineage')?.coverage)]),
      csv: 'coverage.csv',
    },
    p([
      `${queue.length === 100 ? 'At least 100' : queue.length} namespaces without a registry row had downloads at this snapshot; the list for the people who curate the registry, largest first, is in `,
      { link: 'curation.md', href: 'curation.md' },
      ' (and curation.csv).',
    ]),
  ];
}

const STUDY_NAME: Record<string, string> = {
  eoi: 'Economies of Open Intelligence (Longpre et al., 2025)',
  atom: 'The ATOM Project (Interconnects)',
};

/** A published figure or ours, in the figure's own unit. */
function inUnit(v: unknown, unit: string): string {
  const x = num(v);
  if (x === null) return '–';
  if (unit === 'percent') return `${x.toFixed(1)}%`;
  if (unit === 'share') return pct(x);
  return humanCount(x);
}

/**
 * Published figures beside ours at the closest window, with what may explain the difference.
 * Left out when no reference figure has a window within the tolerance.
 */
function againstPublishedSection(d: ReportData): Block[] {
  const rows = d.tables.against_published ?? [];
  if (rows.length === 0) return [];
  return [
    h(2, 'Against published figures', 'published'),
    p('Each figure a study published, beside the hubtrends figure of the same measure, attribution, set of models and origin over the closest window we have. Differences come from the window (days apart at each end), the downloads we cannot attribute (Unattributed), namespaces the study’s own registry maps to another region (Mapped differently), and the data-quality flags of the periods inside our window.'),
    {
      kind: 'table',
      caption: 'Published: the study’s figure and its window; hubtrends: ours at the closest window; Difference: ours minus theirs, in the figure’s unit; Days apart: start / end of the windows; Unattributed and Mapped differently: shares of all downloads of our window.',
      header: ['Study', 'Origin', 'Measure', 'Published', 'Their window', 'hubtrends', 'Our window', 'Difference', 'Days apart', 'Unattributed', 'Mapped differently', 'Flags'],
      align: ['l', 'l', 'l', 'r', 'l', 'r', 'l', 'r', 'r', 'r', 'r', 'l'],
      rows: rows.map((r) => {
        const unit = str(r.unit);
        const diff = num(r.difference);
        const diffText = diff === null ? '–' : unit === 'percent' ? `${diff > 0 ? '+' : ''}${diff.toFixed(1)} pp` : unit === 'share' ? pp(diff) : humanCount(diff);
        return [
          cell(STUDY_NAME[str(r.study)] ?? str(r.study)),
          cell(countryName(str(r.origin))),
          cell(`${measureShort(str(r.metric), weeksOf(r))}, ${str(r.mode)}, ${str(r.scope) === 'hub' ? 'whole Hub' : `scope ${str(r.scope)}`}`),
          cell(inUnit(r.reference_value, unit), num(r.reference_value)),
          cell(`${str(r.reference_window_start)} to ${str(r.reference_window_end)}`),
          cell(inUnit(r.hubtrends_value, unit), num(r.hubtrends_value)),
          cell(`${str(r.window_start)} to ${str(r.window_end)}`),
          cell(diffText, diff),
          cell(`${str(r.start_days_apart)} / ${str(r.end_days_apart)}`),
          shareCell(r.unattributed_share),
          r.registry_difference_share === null || r.registry_difference_share === undefined ? cell('–', null) : shareCell(r.registry_difference_share),
          cell(str(r.quality_flags) || '–'),
        ];
      }),
      csv: 'against_published.csv',
    },
    p([
      'Sources: ',
      ...[...new Map(rows.map((r) => [`${str(r.study)} ${str(r.source_url)}`, r])).values()].flatMap((r, i): Inline[] => [
        i > 0 ? '; ' : '',
        `${STUDY_NAME[str(r.study)] ?? str(r.study)}: `,
        { code: str(r.source_url) },
        ` (${str(r.source_section)}; accessed ${str(r.accessed)})`,
      ]),
      '. Every published figure, with its exact source, is in warehouse/registry/references.csv.',
    ]),
  ];
}

const QUALITY_KIND: Record<string, string> = {
  continuing: 'in both snapshots: growth of the all-time counter',
  new: 'created since the previous snapshot: its whole counter',
  late_seen: 'seen for the first time but created earlier: its 30-day counter scaled to the period, at most its all-time counter',
  vanished: 'gone since the previous snapshot: 0',
  counter_decrease: 'all-time counter fell: 0',
  from_30d: 'no all-time counter (an import of 30-day counters): the 30-day counter scaled to the period',
  imported: 'downloads of an imported series',
};

function qualitySection(d: ReportData): Block[] {
  const rows = (d.tables.data_quality ?? []).filter((r) => str(r.snapshot) === d.asOf);
  const out: Block[] = [h(2, `Data quality (snapshot ${d.asOf})`, 'quality')];
  if (rows.length === 0) return [...out, p('Nothing to report for this snapshot.')];
  out.push({
    kind: 'table',
    caption: 'How the latest period’s downloads were counted, model by model, and what the snapshot skipped. Kind: period (a counting rule) or snapshot (rows dropped); Models: how many models the rule applied to; Downloads: what they contributed.',
    header: ['Kind', 'Rule or item', 'What it means', 'Models', 'Downloads'],
    align: ['l', 'l', 'l', 'r', 'r'],
    rows: rows.map((r) => [cell(str(r.kind)), cell(str(r.item)), cell(QUALITY_KIND[str(r.item)] ?? (str(r.kind) === 'snapshot' ? 'rows left out of the snapshot' : '')), countCell(r.models), r.downloads === null ? cell('–', null) : countCell(r.downloads)]),
    csv: 'data_quality.csv',
  });
  return out;
}

const METHODOLOGY: Inline[] = [
  [{ strong: 'Period downloads.' }, ' Between two snapshots a model’s downloads are the growth of its all-time counter. A model new since the previous snapshot counts its whole all-time counter; one seen for the first time but created earlier (it was private, or below a partial crawl’s threshold) counts at most its 30-day counter scaled to the period; a model that vanished counts 0; a counter that fell counts 0. Each rule is counted in Data quality.'],
  [{ strong: 'Origins.' }, ' A namespace’s country comes from the registry of organisations shipped with hubtrends (each row with its public source), after renames and legacy ids are resolved. A namespace without a row is Unknown: it is reported, never guessed.'],
  [{ strong: 'Shares' }, ' are of all downloads in the window, Unknown included; the range adds the Unknown share to one origin; coverage is 1 − the Unknown share.'],
  [{ strong: 'Caveats.' }, ' Hub download counts include automated and CI traffic and count each GGUF file separately; the 30-day counters of two snapshots are never added up.'],
];

/** The report as blocks, and its headline as one plain sentence for terminals and logs. */
export function reportDocument(d: ReportData): { doc: ReportDocument; headline: string } {
  const { text, plain } = headline(d);
  const inputs = d.tables.inputs ?? [];
  const title = `Hugging Face Hub downloads by model origin, as of ${d.asOf}`;
  const blocks: Block[] = [];
  if (d.synthetic) {
    blocks.push(p([{ strong: 'Synthetic data.' }, ' This report was made from the bundled synthetic hub, not from the Hugging Face Hub. Its figures illustrate the method and mean nothing about real downloads.'], 'notice'));
  }
  blocks.push(h(1, title), p(text, 'headline'));
  blocks.push(...howToRead(d), ...regionsSection(d), ...unattributedSection(d), ...trailingTrendSection(d), ...weeklySection(d), ...crossoverSection(d), ...qwenSection(d));
  blocks.push(...againstPublishedSection(d), ...topSection(d), ...concentrationSection(d), ...coverageSection(d), ...qualitySection(d));
  blocks.push(h(2, 'Methodology', 'methodology'), { kind: 'list', items: METHODOLOGY });
  blocks.push(
    h(2, 'Inputs', 'inputs'),
    p([
      `${inputs.length} snapshots from ${str(inputs[0]?.snapshot)} to ${str(inputs.at(-1)?.snapshot)}; registry: ${d.registryShipped ? 'the one shipped with hubtrends' : 'the warehouse’s own'}. Every input’s sha256 is in `,
      { code: 'manifest.json' },
      '; every table is also a CSV file beside this report, with exact values.',
    ]),
  );
  return { doc: { title, blocks }, headline: plain };
}

/** curation.md: the operators' to-do list, kept out of the readers' report. */
export function curationDocument(d: ReportData): ReportDocument {
  const rows = d.tables.curation ?? [];
  const title = `Registry curation queue, as of ${d.asOf}`;
  const blocks: Block[] = [];
  if (d.synthetic) blocks.push(p([{ strong: 'Synthetic data.' }, ' Made from the bundled synthetic hub.'], 'notice'));
  blocks.push(
    h(1, title),
    p(['Namespaces with downloads at this snapshot and no row in the registry, largest first: each is counted as Unknown in the ', { link: 'report', href: 'report.md' }, ' until a row with a public source is added to ', { code: 'warehouse/registry/orgs.csv' }, ', e.g. with ', { code: 'hubtrends registry add NAMESPACE COUNTRY --kind company --source URL' }, ' (', { code: 'hubtrends registry queue' }, ' gives the same list over any window, with a lineage hint). Individuals are added only with a country they state publicly; otherwise they stay unattributed.']),
    {
      kind: 'table',
      caption: 'Organisations first (the Hub says the namespace is one; a public source can give its country), then users and namespaces never looked up. Kind and Hub name: what the Hub’s overview says; Models: how many models of the namespace were in the snapshot; All-time and Last 30 days: the Hub’s counters summed over them; Largest models: the three with the most all-time downloads.',
      header: ['Namespace', 'Kind', 'Hub name', 'Models', 'All-time downloads', 'Last 30 days', 'Largest models'],
      align: ['l', 'l', 'l', 'r', 'r', 'r', 'l'],
      rows: rows.map((r) => [
        cell(str(r.namespace)),
        cell(({ org: 'organisation', user: 'user', not_found: 'not on the Hub' } as Record<string, string>)[str(r.kind)] ?? 'not looked up'),
        cell(str(r.display_name) || '–'),
        countCell(r.models),
        countCell(r.downloads_all_time),
        countCell(r.downloads_30d),
        cell(Array.isArray(r.top_models) ? r.top_models.map(String).join(', ') : str(r.top_models)),
      ]),
      csv: 'curation.csv',
    },
  );
  return { title, blocks };
}
