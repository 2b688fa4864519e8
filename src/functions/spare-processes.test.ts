import { describe, expect, it } from 'vitest';
import { spareSizes } from './spare-processes.js';

describe('spareSizes', () => {
  it('gives one size per memory size of Node functions in process environments, the first three', () => {
    expect(
      spareSizes([
        { runtime: 'nodejs20.x', memorySize: 128 },
        { runtime: 'nodejs22.x', memorySize: 128, isolation: 'process' },
        { runtime: 'nodejs24.x', memorySize: 256, isolation: 'thread' },
        { runtime: 'provided.al2023', memorySize: 512 },
        { runtime: 'nodejs20.x', memorySize: 1024 },
        { runtime: 'nodejs20.x', memorySize: 2048 },
        { runtime: 'nodejs20.x', memorySize: 4096 },
      ]),
    ).toStrictEqual([128, 1024, 2048]);
    expect(spareSizes([])).toStrictEqual([]);
  });
});
