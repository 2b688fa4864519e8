import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prescanFunctions } from './prescan.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-prescan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const scan = (text: string): ReturnType<typeof prescanFunctions> => {
  const file = join(dir, `c${n++}.yaml`);
  writeFileSync(file, text);
  return prescanFunctions(file);
};

describe('prescanFunctions', () => {
  it("reads each function's runtime, isolation and memory size, with the file's defaults", async () => {
    expect(
      await scan(`functions:
  a: { handler: index.handler, code: ./a }
  b: { handler: index.handler, code: ./b, memorySize: 512, isolation: thread }
  c: { handler: x, code: ./c, runtime: provided.al2023, memorySize: 256 }
`),
    ).toStrictEqual([
      { runtime: 'nodejs20.x', isolation: undefined, memorySize: 128 },
      { runtime: 'nodejs20.x', isolation: 'thread', memorySize: 512 },
      { runtime: 'provided.al2023', isolation: undefined, memorySize: 256 },
    ]);
  });

  it('reads JSON too', async () => {
    expect(await scan('{"functions": {"a": {"runtime": "nodejs22.x", "memorySize": 1024}}}')).toStrictEqual([
      { runtime: 'nodejs22.x', isolation: undefined, memorySize: 1024 },
    ]);
  });

  it('leaves out what the real load would refuse, and yields nothing for a file it cannot read', async () => {
    expect(
      await scan(`functions:
  a: { memorySize: 64 }
  b: { memorySize: '256' }
  c: 3
  d: { memorySize: 20000 }
`),
    ).toStrictEqual([]);
    expect(await scan('apis: {}\n')).toStrictEqual([]);
    expect(await scan('functions: [1, 2]\n')).toStrictEqual([]);
    expect(await scan('functions:\n  a: {\n')).toStrictEqual([]);
    expect(await prescanFunctions(join(dir, 'missing.yaml'))).toStrictEqual([]);
  });
});
