import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { FileSource } from './FileSource.js';
import { LocalHub } from './LocalHub.js';
import { parseFaults } from './faults.js';
import { syntheticHub } from './syntheticFromRegistry.js';

export interface LocalHubArgs {
  readonly port?: number;
  readonly synthetic?: number;
  readonly data?: string;
  readonly asOf?: string;
  readonly faults?: string;
  readonly quota?: number;
  readonly window?: number;
  /** "Now" in ms, the default as-of. */
  readonly now: number;
}

/** `hubtrends localhub`: validate the flags, build the source, listen on 127.0.0.1. */
export async function startLocalHub(args: LocalHubArgs, logger: Logger): Promise<LocalHub> {
  if ((args.synthetic === undefined) === (args.data === undefined)) {
    throw new UsageError('localhub: give exactly one of --synthetic N or --data FILE');
  }
  let asOfMs = args.now;
  if (args.asOf !== undefined) {
    asOfMs = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(args.asOf) ? `${args.asOf}T00:00:00Z` : args.asOf);
    if (Number.isNaN(asOfMs)) throw new UsageError(`--as-of: expected a date YYYY-MM-DD, got ${JSON.stringify(args.asOf)}`);
  }
  if (args.synthetic !== undefined && args.synthetic < 1) throw new UsageError(`--synthetic: expected at least 1 model, got ${args.synthetic}`);
  const source = args.synthetic !== undefined ? syntheticHub(args.synthetic) : new FileSource(args.data!);
  const hub = new LocalHub({ source, asOfMs, quota: args.quota, windowSeconds: args.window, faults: parseFaults(args.faults), logger, recordRequests: false });
  const url = await hub.start(args.port ?? 0, '127.0.0.1');
  logger.info({ url, asOf: new Date(asOfMs).toISOString(), synthetic: source.synthetic }, 'local hub listening');
  return hub;
}
