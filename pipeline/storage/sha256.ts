import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a file; a signal stops it between chunks (hashing a large file takes minutes). */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
