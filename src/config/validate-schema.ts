/**
 * The config file's JSON Schema validator. The build compiles it to code
 * (`dist/config/config-validator.cjs`, scripts/compile-config-validator.mjs), so a start loads that
 * instead of ajv and its compiler: ≈ 20 ms instead of ≈ 125 ms. Where that file is missing (the
 * sources run by the unit tests) it is compiled here, with the same options.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { CONFIG_SCHEMA, type ConfigFile } from './schema.js';
import { CONFIG_AJV_OPTIONS, PRECOMPILED_VALIDATOR } from './validator-options.js';

const require = createRequire(import.meta.url);

function loadValidator(): ValidateFunction<ConfigFile> {
  try {
    return require(`./${PRECOMPILED_VALIDATOR}`) as ValidateFunction<ConfigFile>;
  } catch (err) {
    const missing =
      (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      (err as Error).message.includes(PRECOMPILED_VALIDATOR);
    if (!missing) throw err;
  }
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  return new Ajv(CONFIG_AJV_OPTIONS).compile<ConfigFile>(CONFIG_SCHEMA);
}

/** Validates a parsed config file; `errors` holds the first problem when it returns false. */
export const validateConfigSchema: ValidateFunction<ConfigFile> = loadValidator();
