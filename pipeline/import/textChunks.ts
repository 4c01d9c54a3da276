import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { inputError } from './inputError.js';
import { DEFAULT_INPUT_LIMITS } from './inputLimits.js';

/** Whether a file starts with the gzip magic bytes. */
async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * The text of a file as decoded chunks: gzip-compressed files (recognised by their first bytes)
 * are inflated, UTF-16 files saved by spreadsheets (recognised by their byte order mark) are
 * decoded as such, everything else as UTF-8; a byte order mark is dropped. Bytes that are not
 * valid in the encoding become U+FFFD rather than failing the file: ids holding them fail later,
 * with their line.
 */
export async function* textChunks(path: string, name: string, maxInputBytes: number = DEFAULT_INPUT_LIMITS.maxInputBytes): AsyncGenerator<string> {
  let gzip = false;
  let raw: NodeJS.ReadableStream | null = null;
  try {
    gzip = await isGzip(path);
    const file = createReadStream(path);
    raw = gzip ? file.pipe(createGunzip()) : file;
    if (gzip) file.on('error', (err) => (raw as NodeJS.ReadWriteStream & { destroy(e: Error): void }).destroy(err));
    let decoder: TextDecoder | null = null;
    let bytes = 0;
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxInputBytes) {
        throw inputError(name, null, `holds more than ${maxInputBytes} bytes${gzip ? ' once decompressed' : ''} (maxInputBytes); nothing was imported`);
      }
      if (!decoder) {
        const le = chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe;
        const be = chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff;
        decoder = new TextDecoder(le ? 'utf-16le' : be ? 'utf-16be' : 'utf-8');
      }
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const rest = decoder?.decode() ?? '';
    if (rest) yield rest;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw inputError(name, null, 'no such file', err);
    if (e.code === 'EACCES') throw inputError(name, null, 'permission denied', err);
    if (e.code === 'EISDIR') throw inputError(name, null, 'is a folder, not a file', err);
    if (gzip && typeof e.code === 'string' && e.code.startsWith('Z_')) throw inputError(name, null, `not a readable gzip file (${e.message})`, err);
    throw err;
  } finally {
    (raw as { destroy?: () => void } | null)?.destroy?.();
  }
}
