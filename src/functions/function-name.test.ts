import { describe, expect, it } from 'vitest';
import { functionArn, parseFunctionRef } from './function-name.js';

describe('parseFunctionRef', () => {
  it.each([
    ['my-function', undefined, { name: 'my-function' }],
    ['my-function:v1', undefined, { name: 'my-function', qualifier: 'v1' }],
    ['my-function', '$LATEST', { name: 'my-function', qualifier: '$LATEST' }],
    ['123456789012:function:my-function', undefined, { name: 'my-function' }],
    ['123456789012:function:my-function:7', undefined, { name: 'my-function', qualifier: '7' }],
    ['arn:aws:lambda:us-west-2:123456789012:function:my-function', undefined, { name: 'my-function' }],
    [
      'arn:aws:lambda:us-west-2:123456789012:function:my-function:live',
      'live',
      { name: 'my-function', qualifier: 'live' },
    ],
  ])('%s (qualifier %s)', (input, qualifier, expected) => {
    expect(parseFunctionRef(input, qualifier)).toEqual(expected);
  });

  it.each([['bad name'], ['a:b:c'], ['arn:aws:s3:::bucket'], ['x'.repeat(65)]])('rejects %s', (input) => {
    expect(() => parseFunctionRef(input)).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValueException', status: 400 }),
    );
  });

  it('rejects a qualifier that contradicts the one in the name', () => {
    expect(() => parseFunctionRef('f:1', '2')).toThrow(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });

  it('builds ARNs', () => {
    expect(functionArn('eu-west-1', '123456789012', 'f')).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:f',
    );
    expect(functionArn('eu-west-1', '123456789012', 'f', 'live')).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:f:live',
    );
  });
});
