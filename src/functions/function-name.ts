import { LambdaServiceError } from './errors.js';

/** A parsed `FunctionName` (+ `Qualifier`) of the Lambda API. */
export interface FunctionRef {
  name: string;
  qualifier?: string;
}

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9-_]{1,128})$/;

/**
 * Parses the forms Lambda accepts: `name`, `name:qualifier`, `account:function:name[:qualifier]` and
 * `arn:aws:lambda:region:account:function:name[:qualifier]`
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax).
 */
export function parseFunctionRef(functionName: string, qualifier?: string): FunctionRef {
  const parts = functionName.split(':');
  let name: string | undefined;
  let derived: string | undefined;
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') {
      throw invalidName(functionName);
    }
    name = parts[6];
    derived = parts[7];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    if (parts.length > 4) throw invalidName(functionName);
    name = parts[2];
    derived = parts[3];
  } else {
    if (parts.length > 2) throw invalidName(functionName);
    name = parts[0];
    derived = parts[1];
  }
  if (name === undefined || !NAME.test(name) || functionName.length > 170) throw invalidName(functionName);
  if (derived !== undefined && qualifier !== undefined && derived !== qualifier) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const q = qualifier ?? derived;
  if (q !== undefined && !QUALIFIER.test(q)) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`,
    );
  }
  return q === undefined ? { name } : { name, qualifier: q };
}

function invalidName(functionName: string): LambdaServiceError {
  return new LambdaServiceError(
    'InvalidParameterValueException',
    `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );
}

/** `arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]`. */
export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
