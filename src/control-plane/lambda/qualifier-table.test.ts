import { describe, expect, it } from 'vitest';
import type { FunctionDef } from '../../model/types.js';
import { createMemoryStore } from '../../storage/memory/memory-store.js';
import { QualifierTable } from './qualifier-table.js';

const def = (codeDir: string, codeSha256 = 'c2hh'): FunctionDef => ({
  functionName: 'f',
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  codeDir,
  timeout: 3,
  memorySize: 128,
  environment: {},
  source: 'api',
  codeSha256,
});

async function table(random: () => number): Promise<QualifierTable> {
  const store = createMemoryStore();
  await store.functions.put(def('/latest'));
  for (const n of [1, 2]) {
    await store.versions.publish('f', {
      config: def(`/v${n}`),
      code: { sha256: `sha${n}`, size: 1 },
      revisionId: `r${n}`,
      lastModified: 'x',
    });
  }
  await store.aliases.put('f', { name: 'live', functionVersion: '1', revisionId: 'a' });
  await store.aliases.put('f', {
    name: 'canary',
    functionVersion: '1',
    routingConfig: { additionalVersionWeights: { '2': 0.25 } },
    revisionId: 'b',
  });
  await store.aliases.put('f', { name: 'dev', functionVersion: '$LATEST', revisionId: 'c' });
  const t = new QualifierTable((name) => (name === 'f' ? def('/latest') : undefined), random);
  await t.load(store, (sha) => `/code/${sha}`);
  await store.close();
  return t;
}

describe('QualifierTable', () => {
  it('resolves versions, aliases and $LATEST aliases; code dirs come from the package', async () => {
    const t = await table(() => 0.9);
    expect(t.resolve('f', '1')).toEqual({ def: def('/code/sha1'), version: '1' });
    expect(t.resolve('f', 'live')).toEqual({ def: def('/code/sha1'), version: '1' });
    expect(t.resolve('f', 'dev')).toEqual({ def: def('/latest'), version: '$LATEST' });
    expect(t.resolve('f', '3')).toBeUndefined();
    expect(t.resolve('f', 'nope')).toBeUndefined();
    expect(t.resolve('g', '1')).toBeUndefined();
  });

  it.each([
    [0, '2'],
    [0.2499, '2'],
    [0.25, '1'],
    [0.99, '1'],
  ])('routes a weighted alias by its weights (roll %s -> version %s)', async (roll, version) => {
    const t = await table(() => roll);
    expect(t.resolve('f', 'canary')?.version).toBe(version);
  });
});
