import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { LambdaServiceError } from '../../functions/index.js';
import type { AdminRoute } from '../admin-router.js';
import { functionRefOf, resolveQualified, type LambdaDeps } from './lambda-deps.js';
import { lambdaRoute } from './wire.js';

/**
 * `GET /portico/functions/{FunctionName}/code[?Qualifier=]`: the deployment package, where GetFunction's
 * `Code.Location` points (Lambda gives a presigned S3 URL there). Config-file functions are zipped
 * from their directory on request.
 */
export function codeRoutes(deps: LambdaDeps): AdminRoute[] {
  return [
    lambdaRoute(
      'GET',
      '/portico/functions/{FunctionName}/code',
      'GetFunctionCodePackage',
      async (req) => {
        const ref = functionRefOf(req);
        const q = await resolveQualified(deps, ref.name, ref.qualifier);
        let zip: Buffer | undefined;
        if (q.readOnly) {
          zip = Buffer.from(zipSync(directoryEntries(q.def.codeDir)));
        } else if (q.def.codeSha256 !== undefined) {
          zip = await deps.ctx.store.code.get(q.def.codeSha256);
        }
        if (zip === undefined) {
          throw new LambdaServiceError('ResourceNotFoundException', `No code package stored for ${ref.name}`);
        }
        return {
          status: 200,
          headers: {
            'content-type': 'application/zip',
            'content-disposition': `attachment; filename="${ref.name}.zip"`,
            'x-amzn-requestid': randomUUID(),
          },
          body: zip,
        };
      },
      deps.onError,
    ),
  ];
}

/** The files under a directory as a zip tree (symlinks and special files are skipped). */
function directoryEntries(dir: string): Zippable {
  const out: Zippable = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out[entry.name] = directoryEntries(path);
    else if (entry.isFile()) out[entry.name] = new Uint8Array(readFileSync(path));
  }
  return out;
}
