import { parseModel } from '../hub/modelRow.js';
import type { Logger } from '../log.js';
import type { InputFile } from './inputFiles.js';
import { inputError } from './inputError.js';
import { jsonRecords } from './jsonRecords.js';
import type { SnapshotBatch } from './SnapshotBatch.js';
import { textChunks } from './textChunks.js';
import { DEFAULT_INPUT_LIMITS, MAX_MODEL_CHARS, modelChars, type InputLimits } from './inputLimits.js';

/** Skipped objects logged one by one (at debug) before only counting them. */
const LOGGED_SKIPS = 20;

/**
 * Read one file of raw `/api/models` objects (JSON Lines or a JSON array, any vintage) into the
 * snapshot `date`. Each object goes through `parseModel`, the validator collect uses, so an object
 * without a usable id or with a bad counter is skipped and counted by reason in the manifest exactly
 * as a crawl would; text that is not JSON fails the file with its line.
 */
export async function importApiJsonl(file: InputFile, date: string, batch: SnapshotBatch, logger: Logger, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<number> {
  batch.prepare(date, file);
  let records = 0;
  let skipped = 0;
  for await (const { line, value } of jsonRecords(textChunks(file.path, file.name, limits.maxInputBytes), file.name, limits.maxLineChars)) {
    records++;
    const r = parseModel(value);
    if (r.ok && modelChars(r.row) > MAX_MODEL_CHARS) {
      throw inputError(file.name, line, `the model ${JSON.stringify(r.row.model_id.slice(0, 100))} holds ${modelChars(r.row)} characters of text, more than ${MAX_MODEL_CHARS}; nothing was imported`);
    }
    if (r.ok) {
      await batch.add(date, r.row, file);
    } else {
      batch.skip(date, r.reason, file);
      if (++skipped <= LOGGED_SKIPS) logger.debug({ file: file.name, line, reason: r.reason }, 'API object skipped');
    }
  }
  if (records === 0) {
    throw inputError(file.name, null, 'empty file: no JSON object; an empty snapshot would make every model look vanished, so nothing is imported');
  }
  logger.info({ file: file.name, snapshot: date, objects: records, skipped }, 'API objects read');
  return records - skipped;
}
