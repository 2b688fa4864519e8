/**
 * How the config schema's validator is compiled: shared by the gateway (validate-schema.ts) and the
 * build step that precompiles it (scripts/compile-config-validator.mjs), which imports this module
 * alone (no validator is loaded or compiled by importing it).
 */
import type { Options } from 'ajv';

/** ajv's options for the config schema. */
export const CONFIG_AJV_OPTIONS: Options = { allErrors: false, strict: false };

/** The file the build writes beside validate-schema.js. */
export const PRECOMPILED_VALIDATOR = 'config-validator.cjs';
