import type { AdminRoute } from '../admin-router.js';
import { listAll } from '../../storage/index.js';
import { ACCOUNT_CONCURRENCY } from './concurrency-routes.js';
import type { LambdaDeps } from './lambda-deps.js';
import { jsonResponse, lambdaRoute } from './wire.js';

/** Lambda's default quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
const TOTAL_CODE_SIZE = 80_530_636_800;
const CODE_SIZE_UNZIPPED = 262_144_000;
const CODE_SIZE_ZIPPED = 52_428_800;

/**
 * GetAccountSettings (https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html):
 * Lambda's default limits, the executions reservations leave, and the functions (config file and
 * API) with the size of their packages, `$LATEST` and every published version.
 */
export function accountSettingsRoute(deps: LambdaDeps): AdminRoute {
  return lambdaRoute(
    'GET',
    '/2016-08-19/account-settings',
    'GetAccountSettings',
    async () => {
      const store = deps.ctx.store;
      const stored = await listAll((p) => store.functions.list(p));
      const functions = [...deps.ctx.configModel().functions, ...stored];
      let totalCodeSize = 0;
      let reserved = 0;
      for (const f of functions) {
        totalCodeSize += f.codeSize ?? 0;
        reserved += f.reservedConcurrentExecutions ?? 0;
      }
      for (const f of stored) {
        for (const v of await listAll((p) => store.versions.list(f.functionName, p)))
          totalCodeSize += v.code.size;
      }
      return jsonResponse(200, {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE,
          CodeSizeUnzipped: CODE_SIZE_UNZIPPED,
          CodeSizeZipped: CODE_SIZE_ZIPPED,
          ConcurrentExecutions: ACCOUNT_CONCURRENCY,
          UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reserved,
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
      });
    },
    deps.onError,
  );
}
