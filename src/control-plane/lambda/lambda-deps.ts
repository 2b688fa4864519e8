import {
  LambdaServiceError,
  functionArn,
  parseFunctionRef,
  type FunctionRef,
} from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { StorePorts } from '../../storage/index.js';
import type { AdminRequest } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import type { ArnScope } from './configuration.js';
import { queryQualifier, type ErrorReporter } from './wire.js';

/** What every Lambda operation is given. */
export interface LambdaDeps {
  ctx: ControlPlaneContext;
  onError: ErrorReporter;
  /** Reloads versions and aliases into the runtime's qualifier hook (after each commit). */
  refresh(): Promise<void>;
  /** Shown as `LastModified` of config-file functions (they have no upload time). */
  startedAt: string;
}

/** A function found by name, and whether the API may change it. */
export interface FoundFunction {
  def: FunctionDef;
  /** Defined in the config file: visible and invokable, but read-only through the API. */
  readOnly: boolean;
}

/** The function in the version/alias form a qualifier selects. */
export interface QualifiedFunction {
  def: FunctionDef;
  /** `$LATEST` or the version number that runs. */
  version: string;
  /** The qualifier to show in `FunctionArn` (the alias name for aliases). */
  arnQualifier?: string;
  readOnly: boolean;
}

/** Region and account of ARNs. */
export function scopeOf(deps: LambdaDeps): ArnScope {
  return { region: deps.ctx.region, accountId: deps.ctx.accountId };
}

/** The `{FunctionName}` path parameter (name, ARN or partial ARN) with the `Qualifier` query. */
export function functionRefOf(req: AdminRequest): FunctionRef {
  return parseFunctionRef(req.params.FunctionName ?? '', queryQualifier(req));
}

/** Lambda's 404 for a function or qualifier. */
export function functionNotFound(deps: LambdaDeps, name: string, qualifier?: string): LambdaServiceError {
  return new LambdaServiceError(
    'ResourceNotFoundException',
    `Function not found: ${functionArn(deps.ctx.region, deps.ctx.accountId, name, qualifier)}`,
  );
}

/** Finds a function in the config file or the store. */
export async function findFunction(
  deps: LambdaDeps,
  name: string,
  ports: StorePorts = deps.ctx.store,
): Promise<FoundFunction | undefined> {
  const fromConfig = deps.ctx.configModel().functions.find((f) => f.functionName === name);
  if (fromConfig !== undefined) return { def: fromConfig, readOnly: true };
  const stored = await ports.functions.get(name);
  return stored === undefined ? undefined : { def: stored, readOnly: false };
}

/** Finds a function or answers 404. */
export async function requireFunction(
  deps: LambdaDeps,
  name: string,
  ports: StorePorts = deps.ctx.store,
): Promise<FoundFunction> {
  const found = await findFunction(deps, name, ports);
  if (found === undefined) throw functionNotFound(deps, name);
  return found;
}

/** A stored (API-managed) function; config-file functions answer 409 with an explanation. */
export async function requireWritable(
  deps: LambdaDeps,
  name: string,
  ports: StorePorts,
): Promise<FunctionDef> {
  const found = await requireFunction(deps, name, ports);
  if (found.readOnly) throw readOnlyError(name);
  return found.def;
}

/** The error for writes to config-file functions. */
export function readOnlyError(name: string): LambdaServiceError {
  return new LambdaServiceError(
    'ResourceConflictException',
    `Function ${name} is defined in the Portico config file and is read-only through the Lambda API; change it in the config file instead.`,
  );
}

/** Resolves `$LATEST`, a version number or an alias to the definition it selects (404 if none). */
export async function resolveQualified(
  deps: LambdaDeps,
  name: string,
  qualifier: string | undefined,
  ports: StorePorts = deps.ctx.store,
): Promise<QualifiedFunction> {
  const found = await requireFunction(deps, name, ports);
  if (qualifier === undefined) return { def: found.def, version: '$LATEST', readOnly: found.readOnly };
  if (qualifier === '$LATEST') {
    return { def: found.def, version: '$LATEST', arnQualifier: '$LATEST', readOnly: found.readOnly };
  }
  if (found.readOnly) throw functionNotFound(deps, name, qualifier);
  if (/^\d+$/.test(qualifier)) {
    const v = await ports.versions.get(name, qualifier);
    if (v === undefined) throw functionNotFound(deps, name, qualifier);
    return { def: v.config, version: v.version, arnQualifier: v.version, readOnly: false };
  }
  const alias = await ports.aliases.get(name, qualifier);
  if (alias === undefined) throw functionNotFound(deps, name, qualifier);
  if (alias.functionVersion === '$LATEST') {
    return { def: found.def, version: '$LATEST', arnQualifier: alias.name, readOnly: false };
  }
  const v = await ports.versions.get(name, alias.functionVersion);
  if (v === undefined) throw functionNotFound(deps, name, qualifier);
  return { def: v.config, version: v.version, arnQualifier: alias.name, readOnly: false };
}

/**
 * Runs a write as one store transaction whose last step activates the new model (a throw anywhere
 * rolls everything back), then reloads the qualifier table.
 */
export async function commit<T>(deps: LambdaDeps, write: (tx: StorePorts) => Promise<T>): Promise<T> {
  const result = await deps.ctx.store.transaction(async (tx) => {
    const out = await write(tx);
    await deps.ctx.changed();
    return out;
  });
  await deps.refresh();
  return result;
}
