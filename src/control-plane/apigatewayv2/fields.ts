import { badRequest } from './errors.js';
import type { JsonObject } from './wire.js';

/**
 * Typed readers of request members. The SDK validates types client-side, but raw HTTP callers (curl,
 * Terraform's own client) can send anything: a wrong type is a BadRequestException naming the member.
 */

function wrong(name: string, expected: string): Error {
  return badRequest(`Invalid value for ${name}: expected ${expected}`);
}

/** An optional string member. */
export function optString(body: JsonObject, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrong(name, 'a string');
  return v;
}

/** A required, non-empty string member. */
export function reqString(body: JsonObject, name: string): string {
  const v = optString(body, name);
  if (v === undefined || v === '') throw badRequest(`${name} is required`);
  return v;
}

/** An optional boolean member. */
export function optBool(body: JsonObject, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw wrong(name, 'a boolean');
  return v;
}

/** An optional integer member within `[min, max]`. */
export function optInt(body: JsonObject, name: string, min: number, max: number): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrong(name, 'an integer');
  if (v < min || v > max) throw badRequest(`${name} must be between ${min} and ${max}`);
  return v;
}

/** An optional number member (not below `min`). */
export function optNumber(body: JsonObject, name: string, min: number): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrong(name, 'a number');
  if (v < min) throw badRequest(`${name} must be at least ${min}`);
  return v;
}

/** An optional enum member; an unknown value is a BadRequest listing the allowed ones. */
export function optEnum<T extends string>(
  body: JsonObject,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const v = optString(body, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw badRequest(`Invalid value for ${name}: ${v} (must be one of ${allowed.join(', ')})`);
  }
  return v as T;
}

/** An optional list of strings. */
export function optStringList(body: JsonObject, name: string): string[] | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw wrong(name, 'a list of strings');
  return [...(v as string[])];
}

/** An optional map of string to string. */
export function optStringMap(body: JsonObject, name: string): Record<string, string> | undefined {
  const v = optObject(body, name);
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw wrong(`${name}.${k}`, 'a string');
    out[k] = val;
  }
  return out;
}

/** An optional nested object member. */
export function optObject(body: JsonObject, name: string): JsonObject | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw wrong(name, 'an object');
  return v as JsonObject;
}

/** True when the (PATCH) body carries the member at all. */
export function has(body: JsonObject, name: string): boolean {
  return body[name] !== undefined;
}

/** Copies `value` into `target[key]` when defined, deletes the key when `clear` (PATCH semantics). */
export function assign<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value === undefined) return;
  target[key] = value;
}
