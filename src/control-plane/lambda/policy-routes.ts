import { randomUUID } from 'node:crypto';
import { LambdaServiceError, functionArn } from '../../functions/index.js';
import type { PolicyDef, PolicyStatement, StorePorts } from '../../storage/index.js';
import type { AdminRoute } from '../admin-router.js';
import { commit, functionRefOf, requireFunction, resolveQualified, type LambdaDeps } from './lambda-deps.js';
import {
  checkRevision,
  emptyResponse,
  invalid,
  jsonResponse,
  lambdaRoute,
  optBool,
  optString,
  parseBody,
  reqString,
} from './wire.js';

const POLICY = '/2015-03-31/functions/{FunctionName}/policy';
const SID = /^([a-zA-Z0-9-_.]+)$/;
const ACTION = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;
/** Resource-based policy size limit (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
const POLICY_LIMIT_BYTES = 20 * 1024;

/** AddPermission, RemovePermission, GetPolicy: statements are stored and returned, not enforced. */
export function policyRoutes(deps: LambdaDeps): AdminRoute[] {
  const { onError } = deps;
  return [
    lambdaRoute(
      'POST',
      POLICY,
      'AddPermission',
      async (req) => {
        const ref = functionRefOf(req);
        const body = parseBody(req);
        const sid = reqString(body, 'StatementId');
        if (sid.length > 100 || !SID.test(sid)) {
          throw invalid(
            'StatementId',
            sid,
            'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)',
          );
        }
        const action = reqString(body, 'Action');
        if (!ACTION.test(action)) {
          throw invalid(
            'Action',
            action,
            'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])',
          );
        }
        const principal = reqString(body, 'Principal');
        const revisionId = optString(body, 'RevisionId');
        const statement = await commit(deps, async (tx) => {
          await policyTarget(deps, tx, ref.name, ref.qualifier);
          const current = await tx.policies.get(ref.name, ref.qualifier);
          checkRevision(revisionId, current?.revisionId, 'GetPolicy');
          const statements = current?.statements ?? [];
          if (statements.some((s) => s.Sid === sid)) {
            throw new LambdaServiceError(
              'ResourceConflictException',
              `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
            );
          }
          const resource = functionArn(deps.ctx.region, deps.ctx.accountId, ref.name, ref.qualifier);
          const stmt = buildStatement(sid, action, principal, resource, body);
          const next: PolicyDef = { statements: [...statements, stmt], revisionId: randomUUID() };
          if (Buffer.byteLength(policyDocument(next)) > POLICY_LIMIT_BYTES) {
            throw new LambdaServiceError(
              'PolicyLengthExceededException',
              'The final policy size is bigger than the limit.',
            );
          }
          await tx.policies.put(ref.name, ref.qualifier, next);
          return stmt;
        });
        return jsonResponse(201, { Statement: JSON.stringify(statement) });
      },
      onError,
    ),
    lambdaRoute(
      'DELETE',
      `${POLICY}/{StatementId}`,
      'RemovePermission',
      async (req) => {
        const ref = functionRefOf(req);
        const sid = req.params.StatementId ?? '';
        const revisionId = req.query.get('RevisionId') ?? undefined;
        await commit(deps, async (tx) => {
          await policyTarget(deps, tx, ref.name, ref.qualifier);
          const current = await tx.policies.get(ref.name, ref.qualifier);
          if (current === undefined) throw noPolicy();
          checkRevision(revisionId, current.revisionId, 'GetPolicy');
          const statements = current.statements.filter((s) => s.Sid !== sid);
          if (statements.length === current.statements.length) {
            throw new LambdaServiceError(
              'ResourceNotFoundException',
              `Statement ${sid} is not found in resource policy.`,
            );
          }
          if (statements.length === 0) await tx.policies.delete(ref.name, ref.qualifier);
          else await tx.policies.put(ref.name, ref.qualifier, { statements, revisionId: randomUUID() });
        });
        return emptyResponse(204);
      },
      onError,
    ),
    lambdaRoute(
      'GET',
      POLICY,
      'GetPolicy',
      async (req) => {
        const ref = functionRefOf(req);
        await policyTarget(deps, deps.ctx.store, ref.name, ref.qualifier);
        const policy = await deps.ctx.store.policies.get(ref.name, ref.qualifier);
        if (policy === undefined) throw noPolicy();
        return jsonResponse(200, { Policy: policyDocument(policy), RevisionId: policy.revisionId });
      },
      onError,
    ),
  ];
}

function noPolicy(): LambdaServiceError {
  return new LambdaServiceError('ResourceNotFoundException', 'The resource you requested does not exist.');
}

/** Policies attach to a stored function or one of its versions/aliases; config functions have none. */
async function policyTarget(
  deps: LambdaDeps,
  tx: StorePorts,
  name: string,
  qualifier: string | undefined,
): Promise<void> {
  const found = await requireFunction(deps, name, tx);
  if (found.readOnly) {
    throw new LambdaServiceError(
      'ResourceConflictException',
      `Function ${name} is defined in the Portico config file and is read-only through the Lambda API; it has no resource policy.`,
    );
  }
  if (qualifier !== undefined) await resolveQualified(deps, name, qualifier, tx);
}

/** The policy document `GetPolicy` returns as a string. */
function policyDocument(policy: PolicyDef): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements });
}

/** A statement shaped as Lambda writes it (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html). */
function buildStatement(
  sid: string,
  action: string,
  principal: string,
  resource: string,
  body: Record<string, unknown>,
): PolicyStatement {
  const stmt: PolicyStatement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: principalOf(principal),
    Action: action,
    Resource: resource,
  };
  const condition: Record<string, Record<string, string>> = {};
  const add = (op: string, key: string, value: string | undefined): void => {
    if (value !== undefined) condition[op] = { ...condition[op], [key]: value };
  };
  add('StringEquals', 'AWS:SourceAccount', optString(body, 'SourceAccount'));
  add('StringEquals', 'lambda:EventSourceToken', optString(body, 'EventSourceToken'));
  add('StringEquals', 'aws:PrincipalOrgID', optString(body, 'PrincipalOrgID'));
  add('StringEquals', 'lambda:FunctionUrlAuthType', optString(body, 'FunctionUrlAuthType'));
  const viaUrl = optBool(body, 'InvokedViaFunctionUrl');
  if (viaUrl !== undefined) add('Bool', 'lambda:InvokedViaFunctionUrl', String(viaUrl));
  add('ArnLike', 'AWS:SourceArn', optString(body, 'SourceArn'));
  if (Object.keys(condition).length > 0) stmt.Condition = condition;
  return stmt;
}

function principalOf(principal: string): unknown {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}
