import { Command, Option } from 'commander';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { UsageError } from '../errors.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS, type Kind } from '../build/registry.js';
import { shippedRegistryDir, warehousePaths } from '../paths.js';
import { QUERY_FORMATS, type QueryFormat } from '../query/formats.js';
import { formatTable } from '../query/formatTable.js';

/** What `cli.ts` lends the registry commands: its flag helpers and its output. */
export interface RegistryCli {
  readonly addGlobals: (cmd: Command) => Command;
  readonly setup: (cmd: Command) => { config: Config; logger: Logger };
  readonly write: (s: string) => void;
  readonly cwd: string;
}

function positive(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${name}: expected a whole number of at least 1, got ${JSON.stringify(v)}`);
    return Number(v);
  };
}

/**
 * `hubtrends registry queue|add|check`: the curation of registry/orgs.csv as commands. Each
 * command's work lives in its own file (queue.ts, add.ts, check.ts), imported when it runs.
 */
export function addRegistryCommands(program: Command, cli: RegistryCli): void {
  const registry = program.command('registry').description('curate the registry: what to add next, add a reviewed row, check the files');

  cli
    .addGlobals(
      registry
        .command('queue')
        .description('namespaces without a registry country, by their downloads in a window, with the Hub’s kind and a lineage hint')
        .addOption(new Option('--metric <metric>', 'window the downloads are summed over').choices(['trailing', 'period', 'cumulative', 'all_time', 'window30']).default('trailing'))
        .option('--as-of <date>', 'snapshot the window ends at (default: the newest)')
        .addOption(new Option('--kind <kind>', 'only namespaces of this kind (none: never looked up)').choices(['org', 'user', 'not_found', 'none']))
        .option('--limit <n>', 'rows at most', positive('--limit'), 20)
        .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
        .addHelpText('after', '\nThe lineage hint lists the countries of the roots the namespace’s models derive from: a lead\nfor the curator, never a reason to set a country.\n\nExample:\n  hubtrends registry queue --metric window30 --kind org --limit 10'),
    )
    .action(async (o: { metric: 'trailing'; asOf?: string; kind?: 'org'; limit: number; format: QueryFormat }, cmd: Command) => {
      const { config } = cli.setup(cmd);
      const { registryQueue } = await import('./queue.js');
      const result = await registryQueue(config.warehouse, { metric: o.metric, asOf: o.asOf, kind: o.kind, limit: o.limit });
      const { jsonValue, terminalSafeResult } = await import('../query/query.js');
      // Namespaces and display names are the Hub's free text: escaped for a terminal, kept exact as data.
      const { columns, rows } = o.format === 'table' ? terminalSafeResult(result) : result;
      if (o.format === 'json') cli.write(`${JSON.stringify(rows.map((r) => jsonValue(r)))}\n`);
      else if (o.format === 'csv') cli.write((await import('../report/csv.js')).toCsv(columns, rows).replaceAll('\r\n', '\n'));
      else cli.write(formatTable(columns, rows));
    });

  cli
    .addGlobals(
      registry
        .command('add')
        .description('add one reviewed row to orgs.csv: validated like build does, in the file’s order')
        .argument('<namespace>', 'the exact, case-sensitive Hub namespace')
        .argument('<country>', 'ISO 3166-1 alpha-2 code, or INTL')
        .addOption(new Option('--kind <kind>', 'what the namespace is').choices([...KINDS]).makeOptionMandatory())
        .requiredOption('--source <url-or-citation>', 'why: the page, paper or profile that states the country')
        .addHelpText('after', '\nAn individual gets a row only with the country their public profile states; otherwise\nthey stay unattributed, never guessed.\n\nExample:\n  hubtrends registry add stepfun-ai CN --kind company --source https://www.stepfun.com/'),
    )
    .action(async (namespace: string, country: string, o: { kind: Kind; source: string }, cmd: Command) => {
      const { config, logger } = cli.setup(cmd);
      const target = registryDirOf(config.warehouse);
      if (target.shipped) logger.info({ registry: target.dir }, 'the warehouse has no registry of its own; adding to the one shipped with hubtrends');
      const { registryAdd } = await import('./add.js');
      const { file, line } = registryAdd(target.dir, { org: namespace, country, kind: o.kind, source: o.source });
      cli.write(`${file}:${line}: ${namespace},${country},${o.kind}\n`);
    });

  cli
    .addGlobals(
      registry
        .command('check')
        .description('validate the registry files: every malformed row, duplicate and alias loop, with file and line (exit 2 on any)')
        .addHelpText('after', '\nExample:\n  hubtrends registry check'),
    )
    .action(async (_o: unknown, cmd: Command) => {
      const { config } = cli.setup(cmd);
      const { dir } = registryDirOf(config.warehouse);
      const { registryCheck } = await import('./check.js');
      const r = registryCheck(dir);
      for (const p of r.problems) cli.write(`${p}\n`);
      if (r.problems.length > 0) throw new UsageError(`registry check: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${dir}`);
      cli.write(`${dir}: ${r.orgs} namespaces, ${r.aliases} aliases, ${r.families} family patterns; no problems\n`);
    });
}

/** The registry build reads (the warehouse's own, else the shipped one), without validating it. */
function registryDirOf(warehouse: string): { dir: string; shipped: boolean } {
  const own = warehousePaths(warehouse).registry;
  return existsSync(join(own, 'orgs.csv')) ? { dir: own, shipped: false } : { dir: shippedRegistryDir, shipped: true };
}
