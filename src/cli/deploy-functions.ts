import { eventInvokeSettings } from '../control-plane/lambda/event-invoke-config-routes.js';
import { loggingConfiguration } from '../control-plane/lambda/logging-config.js';
import type { FunctionDef } from '../model/types.js';
import { type AdminCall, type AdminClient, AdminError, wirePath } from './admin-client.js';
import { packageCode } from './code-package.js';
import { type ChangeLog, sameJson } from './deploy-changes.js';
import type { WireFunction } from './wire-calls.js';

/** GetFunction's answer (reference §5.2). */
interface GetFunctionOutput {
  Configuration?: WireFunction & { FunctionArn?: string };
  Concurrency?: { ReservedConcurrentExecutions?: number };
}

/** The configuration members `portico deploy` manages (UpdateFunctionConfiguration body). */
export function functionConfiguration(def: FunctionDef): Record<string, unknown> {
  return {
    Runtime: def.runtime,
    Handler: def.handler,
    Timeout: def.timeout,
    MemorySize: def.memorySize,
    Description: def.description ?? '',
    Environment: { Variables: def.environment },
    // As the server shows it (format, defaulted levels and log group), so an unchanged one compares equal.
    LoggingConfig: loggingConfiguration(def),
  };
}

/** Names of the configuration members that differ between the file and the running function. */
export function configurationDiff(def: FunctionDef, remote: WireFunction): string[] {
  const want = functionConfiguration(def);
  return Object.keys(want).filter((k) => !sameJson(want[k], remote[k]));
}

async function getFunction(client: AdminClient, name: string): Promise<GetFunctionOutput | undefined> {
  try {
    return await client.json<GetFunctionOutput>({
      service: 'lambda',
      method: 'GET',
      path: wirePath('2015-03-31', 'functions', name),
    });
  } catch (err) {
    if (err instanceof AdminError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * Functions from the server's own `--config` file are read-only through the Lambda API: Portico
 * answers a write with 409 ResourceConflictException "... defined in the Portico config file ...".
 */
function isConfigFileConflict(err: unknown): boolean {
  return err instanceof AdminError && err.status === 409 && /config file/i.test(err.message);
}

/**
 * Makes the running function match the file: CreateFunction with the zipped code, or
 * UpdateFunctionCode (only when CodeSha256 differs), UpdateFunctionConfiguration (only for members
 * that differ) and Put/DeleteFunctionConcurrency. Returns the function's ARN as the server reports it,
 * which AWS_PROXY integrations then point at.
 */
export async function syncFunction(
  client: AdminClient,
  def: FunctionDef,
  accountId: string,
  log: ChangeLog,
): Promise<string | undefined> {
  const name = def.functionName;
  const pkg = await packageCode(def.codeDir);
  const existing = await getFunction(client, name);
  let arn: string | undefined;
  if (!existing?.Configuration) {
    const created = await client.json<WireFunction & { FunctionArn?: string }>({
      service: 'lambda',
      method: 'POST',
      path: wirePath('2015-03-31', 'functions'),
      body: {
        FunctionName: name,
        ...functionConfiguration(def),
        // Lambda requires an execution role; Portico does not enforce IAM, so any role ARN does.
        Role: def.role ?? `arn:aws:iam::${accountId}:role/portico-function`,
        PackageType: 'Zip',
        Code: { ZipFile: pkg.zip.toString('base64') },
      },
    });
    arn = created.FunctionArn;
    log.add({ action: 'created', kind: 'function', name });
  } else {
    const remote = existing.Configuration;
    arn = remote.FunctionArn;
    const writes: Array<{ members: string[]; call: AdminCall }> = [];
    if (remote.CodeSha256 !== pkg.sha256) {
      const path = wirePath('2015-03-31', 'functions', name, 'code');
      const body = { ZipFile: pkg.zip.toString('base64') };
      writes.push({ members: ['code'], call: { service: 'lambda', method: 'PUT', path, body } });
    }
    const diff = configurationDiff(def, remote);
    if (diff.length > 0) {
      const want = functionConfiguration(def);
      const body: Record<string, unknown> = {};
      for (const k of diff) body[k] = want[k];
      const path = wirePath('2015-03-31', 'functions', name, 'configuration');
      writes.push({ members: diff, call: { service: 'lambda', method: 'PUT', path, body } });
    }
    const changed: string[] = [];
    for (const { members, call } of writes) {
      try {
        await client.json(call);
      } catch (err) {
        if (!isConfigFileConflict(err)) throw err;
        log.add({ action: 'skipped', kind: 'function', name, detail: "defined in the server's config file" });
        return arn;
      }
      changed.push(...members);
    }
    if (changed.length > 0)
      log.add({ action: 'updated', kind: 'function', name, detail: changed.join(', ') });
  }
  let events: string | undefined;
  try {
    events = await syncEventInvokeConfig(client, def);
  } catch (err) {
    // The server's own config-file functions are read-only; their settings come from that file.
    if (!isConfigFileConflict(err)) throw err;
  }
  if (events !== undefined && existing?.Configuration) {
    log.add({ action: 'updated', kind: 'function', name, detail: events });
  }
  if (await syncConcurrency(client, def, existing?.Concurrency?.ReservedConcurrentExecutions)) {
    // A new function's reservation is part of "created".
    if (existing?.Configuration) {
      const detail = `reserved concurrency ${def.reservedConcurrentExecutions ?? 'removed'}`;
      log.add({ action: 'updated', kind: 'function', name, detail });
    }
  }
  return arn;
}

/** PutFunctionConcurrency / DeleteFunctionConcurrency (`/2017-10-31/functions/{name}/concurrency`); true if changed. */
async function syncConcurrency(
  client: AdminClient,
  def: FunctionDef,
  current: number | undefined,
): Promise<boolean> {
  const want = def.reservedConcurrentExecutions;
  if (want === current) return false;
  const path = wirePath('2017-10-31', 'functions', def.functionName, 'concurrency');
  if (want === undefined) {
    await client.send({ service: 'lambda', method: 'DELETE', path });
  } else {
    await client.json({
      service: 'lambda',
      method: 'PUT',
      path,
      body: { ReservedConcurrentExecutions: want },
    });
  }
  return true;
}

/**
 * The file's `eventInvokeConfig` (of `$LATEST`) onto the server: Put when it differs, Delete when the
 * file has none and the server does. Returns what changed, for the log.
 */
async function syncEventInvokeConfig(client: AdminClient, def: FunctionDef): Promise<string | undefined> {
  const path = wirePath('2019-09-25', 'functions', def.functionName, 'event-invoke-config');
  let remote: Record<string, unknown> | undefined;
  try {
    remote = await client.json<Record<string, unknown>>({ service: 'lambda', method: 'GET', path });
  } catch (err) {
    if (!(err instanceof AdminError && err.status === 404)) throw err;
  }
  const want = def.eventInvokeConfigs?.$LATEST;
  if (want === undefined) {
    if (remote === undefined) return undefined;
    await client.send({ service: 'lambda', method: 'DELETE', path });
    return 'event invoke config removed';
  }
  const body = eventInvokeSettings(want);
  const current =
    remote === undefined
      ? undefined
      : {
          MaximumRetryAttempts: remote.MaximumRetryAttempts,
          MaximumEventAgeInSeconds: remote.MaximumEventAgeInSeconds,
          DestinationConfig: remote.DestinationConfig,
        };
  if (current !== undefined && sameJson(body, current)) return undefined;
  await client.json({ service: 'lambda', method: 'PUT', path, body });
  return 'event invoke config';
}
