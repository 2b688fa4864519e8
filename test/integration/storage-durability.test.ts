import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, fn } from '../../src/storage/contract-fixtures.js';
import { createStore, SQLITE_FILE_NAME } from '../../src/storage/index.js';

// The writer runs the built store (what `portico` ships), so `npm run build` must have run (npm test does).
const distEntry = fileURLToPath(new URL('../../dist/storage/index.js', import.meta.url));

// Writes through the built store, prints "ack" once the commits returned, then idles without
// closing (no checkpoint, no clean shutdown) until the test kills it.
const WRITER = `
const [entry, dataDir, apiJson, fnJson] = process.argv.slice(1);
const { createStore } = await import(entry);
const store = createStore({ kind: 'sqlite', dataDir });
await store.transaction(async (tx) => {
  await tx.apis.put(JSON.parse(apiJson));
  const ref = await tx.code.put(Buffer.from('PK-durable-zip'));
  await tx.functions.put({ ...JSON.parse(fnJson), codeSha256: ref.sha256, codeSize: ref.size });
});
await store.versions.publish('durable', {
  config: JSON.parse(fnJson), code: { sha256: 'x', size: 1 }, revisionId: 'r', lastModified: 'now',
});
process.stdout.write('ack\\n');
setInterval(() => {}, 60_000);
`;

describe('sqlite store durability', () => {
  let root = '';
  beforeAll(() => {
    if (!existsSync(distEntry)) throw new Error(`${distEntry} is missing: run \`npm run build\` first`);
    root = mkdtempSync(join(tmpdir(), 'portico-kill9-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('an acknowledged write survives kill -9 of the writing process', async () => {
    const dataDir = join(root, 'data');
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        WRITER,
        pathToFileURL(distEntry).href,
        dataDir,
        JSON.stringify(api('durable-api')),
        JSON.stringify(fn('durable')),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('ack\n')) {
            // Kill right after the acknowledgement: nothing gets a chance to flush or checkpoint.
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`writer exited before ack: ${stderr}`)));
      });
      expect(await exited).toBe('SIGKILL');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    // The commits are in the WAL (never checkpointed into the main file); opening replays them.
    expect(statSync(join(dataDir, `${SQLITE_FILE_NAME}-wal`)).size).toBeGreaterThan(0);
    const store = createStore({ kind: 'sqlite', dataDir });
    try {
      expect(await store.apis.get('durable-api')).toEqual(api('durable-api'));
      const stored = await store.functions.get('durable');
      expect(stored?.codeSize).toBe(Buffer.byteLength('PK-durable-zip'));
      expect((await store.code.get(stored?.codeSha256 as string))?.toString()).toBe('PK-durable-zip');
      expect((await store.versions.get('durable', '1'))?.config).toEqual(fn('durable'));
    } finally {
      await store.close();
    }
  });
});
