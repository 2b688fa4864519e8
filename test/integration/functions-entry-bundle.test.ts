import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireBuild } from '../helpers/gateway.js';

// Every execution environment starts by loading dist/functions/node-env-entry.js: the build bundles
// it into one file (scripts/bundle-env-entry.mjs), which saves 6-18 ms of each cold start.
describe('the environment entry script', () => {
  it('is one file: it imports only Node built-ins', () => {
    requireBuild();
    const text = readFileSync(new URL('../../dist/functions/node-env-entry.js', import.meta.url), 'utf8');
    const specifiers = [...text.matchAll(/^import\s[^'"]*["']([^"']+)["'];?$/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s?.startsWith('node:'))).toEqual([]);
    expect(text).not.toMatch(/\bimport\(\s*["']\./);
  });
});
