// Build step after `tsc`: the config file's JSON Schema validator compiled to code with ajv's
// standalone mode (dist/config/config-validator.cjs), so a gateway start loads a function instead
// of ajv and its compiler (≈ 20 ms instead of ≈ 125 ms; src/config/validate-schema.ts).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const dist = new URL('../dist/config/', import.meta.url);
const { CONFIG_SCHEMA } = await import(new URL('schema.js', dist).href);
const { CONFIG_AJV_OPTIONS, PRECOMPILED_VALIDATOR } = await import(
  new URL('validator-options.js', dist).href
);

const ajv = new Ajv({ ...CONFIG_AJV_OPTIONS, code: { source: true } });
writeFileSync(
  fileURLToPath(new URL(PRECOMPILED_VALIDATOR, dist)),
  standaloneCode(ajv, ajv.compile(CONFIG_SCHEMA)),
);
