import { createHash } from 'node:crypto';
import type { CodeRef } from './code.port.js';

/** The Lambda-style reference of a zip: base64 SHA-256 (`CodeSha256`) and byte size (`CodeSize`). */
export function codeRefOf(zip: Buffer): CodeRef {
  return { sha256: createHash('sha256').update(zip).digest('base64'), size: zip.length };
}
