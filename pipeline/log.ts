import { pino, type Logger, type DestinationStream, type LoggerOptions } from 'pino';
import PinoPretty from 'pino-pretty';
import type { StatusLine } from './terminal/StatusLine.js';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Paths pino censors wherever they appear: a token must never reach a log line. */
const REDACT = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

function baseOptions(level: LogLevel): LoggerOptions {
  return { level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined };
}

/**
 * JSON lines, one object per line, for schedulers and log collectors: to `destination`, or to
 * stderr (stdout carries command output). The CLI uses it when stderr is not a terminal or when
 * `--log-json` asks for it.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(baseOptions(level), destination ?? pino.destination({ fd: 2, sync: true }));
}

/**
 * Logs for a person at a terminal: one line per entry (`[12:00:01] INFO: collect finished
 * {"rows":…}`), printed above the live progress line so the two never overwrite each other.
 * An error shows as one line of its message; its stack joins it at `debug` and `trace`, the
 * levels one asks for to see the detail.
 */
export function createTerminalLogger(level: LogLevel, line: StatusLine, opts: { color: boolean }): Logger {
  const detailed = level === 'debug' || level === 'trace';
  const pretty = PinoPretty.prettyFactory({
    singleLine: true,
    colorize: opts.color,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    ...(detailed ? {} : { errorLikeObjectKeys: [] }),
  });
  const options = baseOptions(level);
  if (!detailed) options.serializers = { err: oneLineError };
  return pino(options, { write: (json: string) => line.print(pretty(json)) });
}

function oneLineError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s*\n\s*/g, ' ');
}

/** A logger that drops everything, for library callers and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
