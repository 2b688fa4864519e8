import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ConfigError } from './config-error.js';
import type { ConfigFile } from './schema.js';
import { checkReferences } from './references.js';
import { validateConfigSchema as validateSchema } from './validate-schema.js';

/** A config file that passed every check, with where it came from. */
export interface LoadedConfig {
  file: string;
  config: ConfigFile;
}

/** Reads, parses and validates a config file (YAML or JSON). Throws ConfigError naming file and line. */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      file,
      '',
      `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return { file, config: parseConfigText(file, text) };
}

/** Parses and validates config text; `file` is only used in error messages. */
export function parseConfigText(file: string, text: string): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(
      file,
      '',
      (first.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''),
      line,
    );
  }
  const value: unknown = doc.toJS() ?? {};
  if (!validateSchema(value)) {
    const err = validateSchema.errors?.[0];
    throw schemaError(file, doc, lineCounter, err);
  }
  const problem = checkReferences(value);
  if (problem) {
    throw new ConfigError(
      file,
      problem.path.join('.'),
      problem.message,
      lineOf(doc, lineCounter, problem.path),
    );
  }
  return value;
}

function schemaError(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  err: ErrorObject | undefined,
): ConfigError {
  if (!err) return new ConfigError(file, '', 'invalid configuration');
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let message = err.message ?? 'is invalid';
  let fieldPath = path;
  const params = err.params as Record<string, unknown>;
  if (err.propertyName !== undefined) {
    fieldPath = [...path, err.propertyName];
    return new ConfigError(
      file,
      fieldPath.join('.'),
      `invalid name "${err.propertyName}"${NAME_HINTS[path[path.length - 1] ?? ''] ?? ''}`,
      lineOf(doc, lineCounter, fieldPath),
    );
  }
  switch (err.keyword) {
    case 'additionalProperties':
      fieldPath = [...path, String(params.additionalProperty)];
      message = 'unknown field';
      break;
    case 'propertyNames':
      fieldPath = [...path, String(params.propertyName)];
      message = `invalid name "${String(params.propertyName)}"`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'required':
      fieldPath = path;
      message = `missing required field "${String(params.missingProperty)}"`;
      break;
    case 'anyOf':
      message = 'must be an integration id or a route object';
      break;
    default:
      break;
  }
  return new ConfigError(file, fieldPath.join('.'), message, lineOf(doc, lineCounter, fieldPath));
}

const NAME_HINTS: Record<string, string> = {
  routes: ' (expected "$default" or "METHOD /path" with {param} segments and a greedy {name+} last)',
  stages: ' (expected "$default" or letters, digits, "-" and "_")',
  apis: ' (expected lowercase letters, digits and "-")',
  functions: ' (expected letters, digits, "-" and "_", at most 64)',
  integrations: ' (expected letters, digits, "-" and "_")',
  stageVariables: ' (expected letters, digits and "_", at most 64)',
};

function getNode(doc: Document, path: string[]): unknown {
  const asIs = doc.getIn(path, true);
  if (asIs !== undefined) return asIs;
  return doc.getIn(
    path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    true,
  );
}

function lineOf(doc: Document, lineCounter: LineCounter, path: string[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    // For map entries prefer the key's position (the line that names the bad field).
    const parent = sub.length === 0 ? doc.contents : getNode(doc, sub.slice(0, -1));
    const key = sub[sub.length - 1];
    if (parent && isNode(parent) && key !== undefined && 'items' in parent) {
      const items = (parent as { items: Array<{ key?: unknown; value?: unknown }> }).items;
      const index = Number(key);
      const pair = Array.isArray(items)
        ? items.find((it) => isNode(it.key) && String((it.key as { value?: unknown }).value) === key)
        : undefined;
      const target = pair?.key ?? (Number.isInteger(index) ? items[index] : undefined);
      if (isNode(target) && target.range) return lineCounter.linePos(target.range[0]).line;
    }
    const node = sub.length === 0 ? doc.contents : getNode(doc, sub);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
