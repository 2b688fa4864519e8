import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../dist/config/schema.js';
import { validateConfigSchema } from '../../dist/config/validate-schema.js';
import { CONFIG_AJV_OPTIONS } from '../../dist/config/validator-options.js';
import { requireBuild } from '../helpers/gateway.js';

// The build compiles the config schema's validator to code (scripts/compile-config-validator.mjs);
// the gateway loads that instead of compiling at start. It must judge every config exactly as ajv's
// runtime compile of the same schema does.
const PRECOMPILED = fileURLToPath(new URL('../../dist/config/config-validator.cjs', import.meta.url));
const QUICKSTART = fileURLToPath(new URL('../../examples/quickstart/portico.yaml', import.meta.url));

const reference = new Ajv(CONFIG_AJV_OPTIONS).compile(CONFIG_SCHEMA);

const samples: unknown[] = [
  {},
  parse(readFileSync(QUICKSTART, 'utf8')),
  { apis: {} },
  { apis: { a: { protocolType: 'HTTP', routes: { 'GET /x': 'i' } } } },
  { apis: { a: { protocolType: 'SOAP' } } },
  { apis: { a: { integrations: { i: { type: 'HTTP_PROXY', uri: 42 } } } } },
  { functions: { f: { runtime: 'nodejs20.x', handler: 'index.handler', code: './f', memorySize: 64 } } },
  { functions: { f: { runtime: 'python3.12', handler: 'x', code: './f' } } },
  { functions: { f: { runtime: 'nodejs20.x', handler: 'index.handler', code: './f', isolation: 'vm' } } },
  { settings: { region: 'mars' } },
  { unknownTopLevel: true },
  [],
  'text',
  null,
];

describe('the precompiled config validator', () => {
  it('is what the gateway loads', () => {
    requireBuild();
    expect(existsSync(PRECOMPILED)).toBe(true);
    expect(validateConfigSchema).toBe(createRequire(import.meta.url)(PRECOMPILED));
  });

  it.each(samples.map((s, i) => [i, s] as const))('sample %i: same verdict and first error', (_i, sample) => {
    const ok = validateConfigSchema(sample);
    expect(ok).toBe(reference(sample));
    expect(validateConfigSchema.errors?.[0] ?? null).toEqual(reference.errors?.[0] ?? null);
  });

  it('has samples on both sides', () => {
    const verdicts = samples.map((s) => reference(s));
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});
