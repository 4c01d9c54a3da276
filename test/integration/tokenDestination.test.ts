import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';
import { startCli } from '../spawnCli.js';

/** HF_TOKEN goes to a hub other than huggingface.co only when a flag or the environment names it. */
describe('where the token may go', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('a hub named only in hubtrends.config.json gets no token: collect exits 2 before any request', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ _id: 'x', id: 'acme-us/a', downloads: 1, downloadsAllTime: 1, likes: 0, createdAt: '2025-01-01T00:00:00.000Z' }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cwd = join(tmp.dir, 'project');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'hubtrends.config.json'), JSON.stringify({ hubUrl: hub }));
    const env = { HF_TOKEN: 'hf_secret_abc' };
    try {
      const refused = startCli(['collect', '--snapshot', '2025-02-03'], env, cwd);
      expect((await refused.exited).code).toBe(2);
      expect(refused.stderr()).toContain(`hubtrends.config.json names the hub ${hub}`);
      expect(refused.stderr()).toContain(`pass --hub ${hub}`);
      expect(refused.stderr()).not.toContain('hf_secret_abc');
      expect(seen).toEqual([]);
      // Without a token the file's hub is used as before; with --hub the token is sent there.
      // (--lookups 0: this hub serves only the listing, not the namespace overviews)
      const anonymous = startCli(['collect', '--snapshot', '2025-02-03', '--lookups', '0'], {}, cwd);
      expect((await anonymous.exited).code, anonymous.stderr()).toBe(0);
      const named = startCli(['collect', '--snapshot', '2025-02-04', '--hub', hub, '--lookups', '0'], env, cwd);
      expect((await named.exited).code, named.stderr()).toBe(0);
      expect(seen).toEqual([undefined, 'Bearer hf_secret_abc']);
    } finally {
      server.close();
    }
  });
});
