import { createHash } from 'node:crypto';
import { functionArn } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { AliasDef } from '../../storage/index.js';
import { loggingConfiguration } from './logging-config.js';

/** Region and account, for ARNs. */
export interface ArnScope {
  region: string;
  accountId: string;
}

/** Lambda's `LastModified` format: `yyyy-MM-ddTHH:mm:ss.SSS+0000` (a plain string on the wire). */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/** A stable RevisionId for definitions that never had one (config-file functions). */
export function derivedRevisionId(def: FunctionDef): string {
  const h = createHash('sha256').update(JSON.stringify(def)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The FunctionConfiguration shape (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html).
 * `State: Active` and `LastUpdateStatus: Successful` always: updates apply synchronously, so the SDK
 * waiters (`waitUntilFunctionActiveV2`, `waitUntilFunctionUpdatedV2`) pass on their first poll.
 */
export function functionConfiguration(
  def: FunctionDef,
  scope: ArnScope,
  version: string,
  arnQualifier?: string,
  fallbackLastModified = '1970-01-01T00:00:00.000+0000',
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    FunctionName: def.functionName,
    FunctionArn: functionArn(scope.region, scope.accountId, def.functionName, arnQualifier),
    Runtime: def.runtime,
    Role: def.role ?? `arn:aws:iam::${scope.accountId}:role/portico-function`,
    Handler: def.handler,
    CodeSize: def.codeSize ?? 0,
    Description: def.description ?? '',
    Timeout: def.timeout,
    MemorySize: def.memorySize,
    LastModified: def.lastModified ?? fallbackLastModified,
    CodeSha256: def.codeSha256 ?? '',
    Version: version,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: def.revisionId ?? derivedRevisionId(def),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: loggingConfiguration(def),
  };
  // Lambda omits Environment when the function has no variables.
  if (Object.keys(def.environment).length > 0) config.Environment = { Variables: { ...def.environment } };
  return config;
}

/** The AliasConfiguration shape (https://docs.aws.amazon.com/lambda/latest/api/API_AliasConfiguration.html). */
export function aliasConfiguration(
  functionName: string,
  alias: AliasDef,
  scope: ArnScope,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    AliasArn: functionArn(scope.region, scope.accountId, functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description ?? '',
    RevisionId: alias.revisionId,
  };
  const weights = alias.routingConfig?.additionalVersionWeights;
  if (weights !== undefined && Object.keys(weights).length > 0) {
    out.RoutingConfig = { AdditionalVersionWeights: { ...weights } };
  }
  return out;
}
