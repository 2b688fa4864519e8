import { LambdaServiceError, functionArn } from '../../functions/index.js';
import type { EventInvokeConfigDef, FunctionDef } from '../../model/types.js';
import type { StorePorts } from '../../storage/index.js';
import type { AdminRequest, AdminRoute } from '../admin-router.js';
import {
  commit,
  functionRefOf,
  requireFunction,
  requireWritable,
  resolveQualified,
  type LambdaDeps,
} from './lambda-deps.js';
import {
  emptyResponse,
  invalid,
  jsonResponse,
  lambdaRoute,
  optInt,
  optObject,
  optString,
  pageOf,
  parseBody,
  type JsonBody,
} from './wire.js';

const PATH = '/2019-09-25/functions/{FunctionName}/event-invoke-config';
/** Services an asynchronous invocation destination may be (S3 for failures only). */
const DESTINATION_SERVICES = new Set(['lambda', 'sqs', 'sns', 'events']);

/** The settings a Put or Update request carries (`null` in Update: not given). */
type Settings = Omit<EventInvokeConfigDef, 'lastModified'>;

/**
 * PutFunctionEventInvokeConfig, UpdateFunctionEventInvokeConfig, GetFunctionEventInvokeConfig,
 * DeleteFunctionEventInvokeConfig, ListFunctionEventInvokeConfigs
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html): a config per
 * function, version or alias, kept on the function's `$LATEST` definition and applied by the
 * runtime's asynchronous queue (retries, maximum event age, destinations).
 */
export function eventInvokeConfigRoutes(deps: LambdaDeps): AdminRoute[] {
  const { onError } = deps;

  /** Writes the config of one qualifier (`undefined`: deletes it); returns what is stored. */
  const write = (
    req: AdminRequest,
    next: (current: EventInvokeConfigDef | undefined, qualifier: string, arn: string) => Settings | undefined,
  ): Promise<{ qualifier: string; config: EventInvokeConfigDef | undefined }> => {
    const ref = functionRefOf(req);
    return commit(deps, async (tx) => {
      const def = await requireWritable(deps, ref.name, tx);
      const qualifier = await targetQualifier(deps, tx, ref.name, ref.qualifier);
      const arn = functionArn(deps.ctx.region, deps.ctx.accountId, ref.name, qualifier);
      const settings = next(configOf(def, qualifier), qualifier, arn);
      const { [qualifier]: _old, ...others } = def.eventInvokeConfigs ?? {};
      void _old;
      const config = settings === undefined ? undefined : { ...settings, lastModified: Date.now() };
      const configs = config === undefined ? others : { ...others, [qualifier]: config };
      const { eventInvokeConfigs: _all, ...rest } = def;
      void _all;
      // The function's RevisionId stays: the config is a resource of its own, as on Lambda.
      const updated: FunctionDef =
        Object.keys(configs).length === 0 ? rest : { ...rest, eventInvokeConfigs: configs };
      await tx.functions.put(updated);
      return { qualifier, config };
    });
  };

  const answer = (name: string, qualifier: string, config: EventInvokeConfigDef | undefined) =>
    jsonResponse(200, toWire(deps, name, qualifier, config as EventInvokeConfigDef));

  return [
    lambdaRoute(
      'PUT',
      PATH,
      'PutFunctionEventInvokeConfig',
      async (req) => {
        // Put replaces the whole config: members left out are removed.
        const settings = parseSettings(parseBody(req));
        const name = functionRefOf(req).name;
        const { qualifier, config } = await write(req, () => settings);
        return answer(name, qualifier, config);
      },
      onError,
    ),
    lambdaRoute(
      'POST',
      PATH,
      'UpdateFunctionEventInvokeConfig',
      async (req) => {
        // Update changes the members it is given and keeps the others. [unsure] A DestinationConfig
        // replaces both destinations (one left out is removed), as Put does.
        const body = parseBody(req);
        const given = parseSettings(body);
        const name = functionRefOf(req).name;
        const { qualifier, config } = await write(req, (current, _q, arn) => {
          if (current === undefined) throw noConfig(arn);
          const { lastModified: _lm, ...kept } = current;
          void _lm;
          const merged: Settings = { ...kept };
          if (given.maximumRetryAttempts !== undefined)
            merged.maximumRetryAttempts = given.maximumRetryAttempts;
          if (given.maximumEventAgeInSeconds !== undefined)
            merged.maximumEventAgeInSeconds = given.maximumEventAgeInSeconds;
          if (body.DestinationConfig !== undefined && body.DestinationConfig !== null) {
            delete merged.onSuccess;
            delete merged.onFailure;
            if (given.onSuccess !== undefined) merged.onSuccess = given.onSuccess;
            if (given.onFailure !== undefined) merged.onFailure = given.onFailure;
          }
          return merged;
        });
        return answer(name, qualifier, config);
      },
      onError,
    ),
    lambdaRoute(
      'GET',
      PATH,
      'GetFunctionEventInvokeConfig',
      async (req) => {
        const ref = functionRefOf(req);
        const found = await requireFunction(deps, ref.name);
        const qualifier = await targetQualifier(deps, deps.ctx.store, ref.name, ref.qualifier);
        const config = configOf(found.def, qualifier);
        if (config === undefined)
          throw noConfig(functionArn(deps.ctx.region, deps.ctx.accountId, ref.name, qualifier));
        return answer(ref.name, qualifier, config);
      },
      onError,
    ),
    lambdaRoute(
      'DELETE',
      PATH,
      'DeleteFunctionEventInvokeConfig',
      async (req) => {
        await write(req, (current, _q, arn) => {
          if (current === undefined) throw noConfig(arn);
          return undefined;
        });
        return emptyResponse(204);
      },
      onError,
    ),
    lambdaRoute(
      'GET',
      `${PATH}/list`,
      'ListFunctionEventInvokeConfigs',
      async (req) => {
        const ref = functionRefOf(req);
        const found = await requireFunction(deps, ref.name);
        const all = Object.entries(found.def.eventInvokeConfigs ?? {}).sort(([a], [b]) =>
          qualifierOrder(a, b),
        );
        const page = pageOf(all, req);
        return jsonResponse(200, {
          FunctionEventInvokeConfigs: page.items.map(([q, c]) => toWire(deps, ref.name, q, c)),
          ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
        });
      },
      onError,
    ),
  ];
}

/** The config of one qualifier (an own member only: an alias may be called `constructor`). */
function configOf(def: FunctionDef, qualifier: string): EventInvokeConfigDef | undefined {
  const configs = def.eventInvokeConfigs;
  return configs !== undefined && Object.hasOwn(configs, qualifier) ? configs[qualifier] : undefined;
}

/** Removes the config of a deleted version or alias (inside the caller's transaction). */
export async function dropEventInvokeConfig(tx: StorePorts, name: string, qualifier: string): Promise<void> {
  const def = await tx.functions.get(name);
  if (def === undefined || configOf(def, qualifier) === undefined) return;
  const { [qualifier]: _gone, ...others } = def.eventInvokeConfigs ?? {};
  void _gone;
  const { eventInvokeConfigs: _all, ...rest } = def;
  void _all;
  await tx.functions.put(Object.keys(others).length === 0 ? rest : { ...rest, eventInvokeConfigs: others });
}

/** `$LATEST` when unqualified; otherwise the version or alias, which must exist. */
async function targetQualifier(
  deps: LambdaDeps,
  tx: StorePorts,
  name: string,
  qualifier: string | undefined,
): Promise<string> {
  if (qualifier === undefined || qualifier === '$LATEST') return '$LATEST';
  await resolveQualified(deps, name, qualifier, tx);
  return qualifier;
}

/** `$LATEST` first, then versions by number, then aliases by name. */
function qualifierOrder(a: string, b: string): number {
  const rank = (q: string): number => (q === '$LATEST' ? 0 : /^\d+$/.test(q) ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return ra === 1 ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
}

function noConfig(arn: string): LambdaServiceError {
  return new LambdaServiceError(
    'ResourceNotFoundException',
    `The function ${arn} doesn't have an EventInvokeConfig`,
  );
}

/** The members of a Put/Update body, validated as Lambda does. */
function parseSettings(body: JsonBody): Settings {
  const out: Settings = {};
  const retries = optInt(body, 'MaximumRetryAttempts');
  if (retries !== undefined) {
    if (retries < 0)
      throw invalid('MaximumRetryAttempts', retries, 'Member must have value greater than or equal to 0');
    if (retries > 2)
      throw invalid('MaximumRetryAttempts', retries, 'Member must have value less than or equal to 2');
    out.maximumRetryAttempts = retries;
  }
  const age = optInt(body, 'MaximumEventAgeInSeconds');
  if (age !== undefined) {
    if (age < 60)
      throw invalid('MaximumEventAgeInSeconds', age, 'Member must have value greater than or equal to 60');
    if (age > 21600)
      throw invalid('MaximumEventAgeInSeconds', age, 'Member must have value less than or equal to 21600');
    out.maximumEventAgeInSeconds = age;
  }
  const destinations = optObject(body, 'DestinationConfig');
  if (destinations !== undefined) {
    const onSuccess = destinationOf(destinations, 'OnSuccess', false);
    const onFailure = destinationOf(destinations, 'OnFailure', true);
    if (onSuccess !== undefined) out.onSuccess = onSuccess;
    if (onFailure !== undefined) out.onFailure = onFailure;
  }
  return out;
}

function destinationOf(config: JsonBody, member: 'OnSuccess' | 'OnFailure', s3: boolean): string | undefined {
  const target = optObject(config, member);
  if (target === undefined) return undefined;
  const arn = optString(target, 'Destination');
  if (arn === undefined || arn === '') return undefined;
  if (arn.length > 350)
    throw invalid(
      `destinationConfig.${member}.destination`,
      arn,
      'Member must have length less than or equal to 350',
    );
  const parts = arn.split(':');
  const service = parts[0] === 'arn' && parts.length >= 6 ? (parts[2] as string) : '';
  if (!DESTINATION_SERVICES.has(service) && !(s3 && service === 's3')) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `The destination ARN ${arn} is invalid: ${member} accepts the ARN of a Lambda function, an SQS queue, an SNS topic${s3 ? ', an EventBridge event bus or an S3 bucket' : ' or an EventBridge event bus'}.`,
    );
  }
  return arn;
}

/** FunctionEventInvokeConfig on the wire; `LastModified` in epoch seconds. */
function toWire(deps: LambdaDeps, name: string, qualifier: string, config: EventInvokeConfigDef): JsonBody {
  const lastModified = config.lastModified ?? Date.parse(deps.startedAt.replace(/\+0000$/, 'Z'));
  return {
    LastModified: lastModified / 1000,
    FunctionArn: functionArn(deps.ctx.region, deps.ctx.accountId, name, qualifier),
    ...eventInvokeSettings(config),
  };
}

/**
 * The settings of a config on the wire, as Put takes them and Get answers them (`portico deploy`
 * sends and compares them so): both destinations always present, `{}` when unset.
 */
export function eventInvokeSettings(config: EventInvokeConfigDef): JsonBody {
  return {
    ...(config.maximumRetryAttempts === undefined
      ? {}
      : { MaximumRetryAttempts: config.maximumRetryAttempts }),
    ...(config.maximumEventAgeInSeconds === undefined
      ? {}
      : { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds }),
    DestinationConfig: {
      OnSuccess: config.onSuccess === undefined ? {} : { Destination: config.onSuccess },
      OnFailure: config.onFailure === undefined ? {} : { Destination: config.onFailure },
    },
  };
}
