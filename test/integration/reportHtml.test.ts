import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from '../../pipeline/build/build.js';
import { report } from '../../pipeline/report/report.js';
import { pct } from '../../pipeline/report/format.js';
import { deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

/** Debian's chromium; `.ci/run` installs it where it is missing. */
const CHROMIUM = process.env.HUBTRENDS_CHROMIUM ?? '/usr/bin/chromium';
const OUTPUT = join(import.meta.dirname, '..', 'output');
const dates = ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27', '2025-02-03'];
// Free text from an imported file: markup, a script-bearing link, a lone CR and a terminal escape.
const EVIL = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '[click](javascript:alert(3))', 'cr\rline', 'esc\u001b[31mred'];

async function lake(wh: string): Promise<void> {
  writeRegistry(wh, ['meta-llama,US,company,test', 'Qwen,CN,company,test', 'mistralai,FR,company,test'], [], ['Llama,meta-llama/%', 'Qwen,Qwen/%']);
  for (const [k, date] of dates.entries()) {
    const g = k + 1;
    await publishSnapshot(wh, date, [
      row({ model_id: 'meta-llama/Llama-3-8B', created_at: '2024-04-18T00:00:00.000Z', downloads_all_time: 5000 + 300 * g, downloads_30d: 900 }),
      row({ model_id: 'Qwen/Qwen2.5-7B', created_at: '2024-09-19T00:00:00.000Z', downloads_all_time: 800 + 450 * g * g, downloads_30d: 1200 }),
      row({ model_id: 'mistralai/Mistral-7B', created_at: '2023-09-27T00:00:00.000Z', downloads_all_time: 500 + 70 * g, downloads_30d: 200 }),
      ...EVIL.map((author, i) => row({ model_id: `legacy-${i}`, author, created_at: '2023-01-01T00:00:00.000Z', downloads_all_time: 1000 + 200 * g * (i + 1), downloads_30d: 100 })),
    ]);
  }
}

describe('report.html in a real headless Chromium', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const out = join(tmp.dir, 'report');
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  let pageUrl = '';

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does)`).toBe(true);
    await lake(wh);
    await build(wh, { full: false }, deps);
    await report(wh, join(tmp.dir, 'reports'), { out }, deps);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    pageUrl = pathToFileURL(join(out, 'report.html')).href;
    await page.goto(pageUrl, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
    tmp.cleanup();
  });

  it('loads with no console error, no request but the page itself, and runs no injected script', async () => {
    await page.waitForTimeout(200);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    const text = await page.locator('main').innerText();
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('[click](javascript:alert(3))');
  });

  it('is self-contained: one inline style and script, allowed by hash, no external reference', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
    expect(html).not.toMatch(/<link\b/);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/\u001b/);
  });

  it('gives the headline shares of China and the US exactly as origin_share_bounds has them', async () => {
    const bounds = await queryWarehouse<{ origin: string; mode: string; share: number; share_high: number }>(
      wh,
      `SELECT origin, mode, share, share_high FROM origin_share_bounds WHERE metric = 'trailing' AND window_end = DATE '${dates.at(-1)}' AND origin IN ('CN', 'US', 'unknown')`,
    );
    expect(bounds.length).toBe(6);
    for (const b of bounds.filter((x) => x.mode === 'uploader')) {
      const share = page.locator(`p.headline span.figure[data-origin="${b.origin}"][data-mode="uploader"][data-field="share"]`);
      expect(Number(await share.getAttribute('data-value'))).toBe(b.share);
      expect(await share.innerText()).toBe(pct(b.share));
      if (b.origin !== 'unknown') {
        const range = page.locator(`p.headline span.figure[data-origin="${b.origin}"][data-mode="uploader"][data-field="range"]`);
        expect(Number(await range.getAttribute('data-value'))).toBe(b.share_high);
      }
    }
    for (const b of bounds.filter((x) => x.mode === 'lineage' && x.origin !== 'unknown')) {
      const share = page.locator(`p.headline span.figure[data-origin="${b.origin}"][data-mode="lineage"][data-field="share"]`);
      expect(Number(await share.getAttribute('data-value'))).toBe(b.share);
    }
  });

  it('draws every chart of the chosen attribution with a box, and the switch swaps them', async () => {
    const visibleCharts = async (): Promise<string[]> =>
      page.$$eval('figure.chart', (figs) =>
        figs
          .filter((f) => {
            const r = f.querySelector('svg')?.getBoundingClientRect();
            return r !== undefined && r.width > 100 && r.height > 100;
          })
          .map((f) => f.getAttribute('data-chart') ?? ''),
      );
    const uploader = await visibleCharts();
    expect(uploader).toEqual(expect.arrayContaining(['trailing_year_uploader.svg', 'share_by_region_uploader.svg', 'qwen_vs_llama_all_time.svg', 'concentration.svg', 'coverage.svg']));
    expect(uploader.some((c) => c.includes('lineage'))).toBe(false);
    await page.click('button[data-set-mode="lineage"]');
    const lineage = await visibleCharts();
    expect(lineage).toEqual(expect.arrayContaining(['trailing_year_lineage.svg', 'share_by_region_lineage.svg', 'qwen_vs_llama_all_time.svg']));
    expect(lineage.some((c) => c.includes('uploader'))).toBe(false);
    const all = await page.$$eval('figure.chart', (f) => f.length);
    expect(uploader.length + lineage.length - 4).toBeLessThanOrEqual(all);
    await page.click('button[data-set-mode="uploader"]');
  });

  it('shows exact values on hover over a chart point', async () => {
    const point = page.locator('figure[data-chart="trailing_year_uploader.svg"] path[role="graphics-symbol"]').first();
    const title = await point.locator('title').textContent();
    expect(title).toMatch(/^Trailing year ending \d{4}-\d{2}-\d{2}; [^:]+: \d+\.\d\d% of the downloads/);
  });

  it('sorts a table by a column on click', async () => {
    const table = page.locator('figure.table', { hasText: 'The 20 namespaces' }).locator('table');
    const downloads = async (): Promise<number[]> => table.locator('tbody tr td:nth-child(5)').evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.sort)));
    const before = await downloads();
    expect(before).toEqual([...before].sort((a, b) => b - a));
    await table.locator('th', { hasText: 'Downloads' }).locator('button').click();
    const after = await downloads();
    expect(after).toEqual([...before].sort((a, b) => a - b));
    expect(after).not.toEqual(before);
  });

  it('escapes the same untrusted names in report.md and curation.md: no raw tag, link or extra line', () => {
    for (const file of ['report.md', 'curation.md']) {
      const md = readFileSync(join(out, file), 'utf8');
      expect(md).not.toMatch(/(^|[^\\])<(img|script)/);
      expect(md).not.toMatch(/(^|[^\\])\]\(javascript:/);
      expect(md).not.toMatch(/[\r\u001b]/);
      expect(md).toContain('cr line');
      for (const line of md.split('\n')) if (line.includes('onerror')) expect(line.startsWith('|')).toBe(true);
    }
    expect(readFileSync(join(out, 'curation.md'), 'utf8')).toContain('\\<img src=x onerror=alert(1)\\>');
  });

  it('writes a full-page screenshot', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, 'report-html.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  });
});
