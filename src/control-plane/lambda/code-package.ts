import { unzipSync } from 'fflate';
import { codeDirFor, LambdaServiceError, safeZipEntry, unpackZipOnce } from '../../functions/index.js';
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
        if (unsafe === undefined && safeZipEntry(file.name) === undefined) unsafe = file.name;
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

/** Unpacks a (validated) package into its content-addressed directory, once (see `unpackZipOnce`). */
export function unpackZip(zip: Buffer, dataDir: string, ref: CodeRef = codeRefOf(zip)): string {
  return unpackZipOnce(asBytes(zip), codeDirFor(dataDir, ref.sha256), {
    unreadable,
    unsafe: unreadable,
  });
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
