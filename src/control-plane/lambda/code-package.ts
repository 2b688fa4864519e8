import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { LambdaServiceError } from '../../functions/index.js';
import { codeRefOf, type CodeRef } from '../../storage/index.js';
import { optString, type JsonBody } from './wire.js';

/** Direct-upload limit of a zipped deployment package (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const ZIP_LIMIT_BYTES = 50 * 1024 * 1024;
/** Unzipped limit (code and layers). */
export const UNZIPPED_LIMIT_BYTES = 262_144_000;
/** What AWS quotes for the request: the base64 form of a 50 MB zip. */
const REQUEST_LIMIT_BYTES = 69_905_067;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A validated deployment package: the zip bytes and their Lambda reference. */
export interface CodePackage {
  zip: Buffer;
  ref: CodeRef;
}

/**
 * Decodes `Code.ZipFile` / `ZipFile` (base64 in JSON) and checks it as Lambda does before anything is
 * written: size limits, a readable zip, no entry that would escape the code directory.
 */
export function decodeZipFile(
  base64: string,
  operation: 'CreateFunction' | 'UpdateFunctionCode',
): CodePackage {
  const compact = base64.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw new LambdaServiceError(
      'InvalidRequestContentException',
      'Could not parse request body into json: ZipFile is not valid base64',
    );
  }
  // Decoded size from the base64 length, so an oversized upload is refused before it is decoded.
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  const decodedSize = Math.floor((compact.length * 3) / 4) - padding;
  if (decodedSize > ZIP_LIMIT_BYTES) {
    throw new LambdaServiceError(
      'RequestEntityTooLargeException',
      `Request must be smaller than ${REQUEST_LIMIT_BYTES} bytes for the ${operation} operation`,
    );
  }
  const zip = Buffer.from(compact, 'base64');
  inspectZip(zip);
  return { zip, ref: codeRefOf(zip) };
}

/** Lists the entries without inflating them: names must stay inside the directory, sizes within limits. */
function inspectZip(zip: Buffer): void {
  let total = 0;
  let unsafe: string | undefined;
  try {
    unzipSync(asBytes(zip), {
      filter(file) {
        if (unsafe === undefined && safeEntry(file.name) === undefined) unsafe = file.name;
        total += file.originalSize;
        return false;
      },
    });
  } catch {
    throw unreadable();
  }
  if (unsafe !== undefined) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `Could not unzip uploaded file: entry '${unsafe}' would be written outside the function's code directory.`,
    );
  }
  if (total >= UNZIPPED_LIMIT_BYTES) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `Unzipped size must be smaller than ${UNZIPPED_LIMIT_BYTES} bytes`,
    );
  }
}

function unreadable(): LambdaServiceError {
  return new LambdaServiceError(
    'InvalidParameterValueException',
    'Could not unzip uploaded file. Please check your file, then try to upload again.',
  );
}

/** Where a package is unpacked: `<dataDir>/code/<hex sha256, 32 chars>` (the naming of `prepareCode`). */
export function codeDirFor(dataDir: string, sha256Base64: string): string {
  const hex = Buffer.from(sha256Base64, 'base64').toString('hex').slice(0, 32);
  return join(resolve(dataDir), 'code', hex);
}

/**
 * Unpacks a (validated) package into its content-addressed directory, once: a staging directory is
 * renamed into place, so a crash never leaves a half-written code directory behind.
 */
export function unpackZip(zip: Buffer, dataDir: string, ref: CodeRef = codeRefOf(zip)): string {
  const target = codeDirFor(dataDir, ref.sha256);
  if (existsSync(target)) return target;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(asBytes(zip));
  } catch {
    throw unreadable();
  }
  const staging = `${target}.tmp-${randomUUID()}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) {
      const rel = safeEntry(name);
      if (rel === undefined) throw unreadable();
      const dest = join(staging, rel);
      if (name.endsWith('/')) {
        mkdirSync(dest, { recursive: true });
        continue;
      }
      mkdirSync(join(dest, '..'), { recursive: true });
      writeFileSync(dest, data);
      // fflate does not expose the exec bit; custom runtimes need an executable `bootstrap`.
      if (rel === 'bootstrap' || rel.endsWith('.sh') || rel.startsWith(`bin${sep}`)) chmodSync(dest, 0o755);
    }
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another request unpacked the same content first: theirs is identical.
      if (!existsSync(target)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** The relative path of a zip entry, or undefined when it is absolute or climbs out with `..`. */
export function safeEntry(name: string): string | undefined {
  if (name.includes('\0') || name.includes('\\') || isAbsolute(name) || /^[a-zA-Z]:/.test(name))
    return undefined;
  const rel = normalize(name);
  if (rel.split(sep).includes('..')) return undefined;
  return rel;
}

function asBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads `Code` / the UpdateFunctionCode body: only `ZipFile` uploads exist in Portico. */
export function readZipCode(code: JsonBody, operation: 'CreateFunction' | 'UpdateFunctionCode'): CodePackage {
  for (const member of ['S3Bucket', 'S3Key', 'S3ObjectVersion', 'ImageUri']) {
    if (optString(code, member) !== undefined) {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        `${member} is not supported by Portico: upload the deployment package as ZipFile.`,
      );
    }
  }
  const zipFile = optString(code, 'ZipFile');
  if (zipFile === undefined) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Please provide a source for function code.',
    );
  }
  return decodeZipFile(zipFile, operation);
}
