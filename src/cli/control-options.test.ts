import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, noPositionals, onePositional, parseControlArgs } from './control-options.js';
import { UsageError } from './io.js';

describe('parseControlArgs', () => {
  it('defaults: local admin port, us-east-1, table output', () => {
    expect(parseControlArgs([], {})).toEqual({
      values: {},
      positionals: [],
      help: false,
      json: false,
      endpoint: DEFAULT_ENDPOINT,
      region: 'us-east-1',
    });
  });
  it('flags win over environment variables', () => {
    const env = { PORTICO_ENDPOINT: 'http://env:1', AWS_REGION: 'eu-west-1' };
    expect(parseControlArgs([], env)).toMatchObject({ endpoint: 'http://env:1', region: 'eu-west-1' });
    expect(
      parseControlArgs(['--endpoint', 'http://flag:2', '--region=ap-south-1', '--json', 'x'], env),
    ).toMatchObject({
      endpoint: 'http://flag:2',
      region: 'ap-south-1',
      json: true,
      positionals: ['x'],
    });
  });
  it('accepts the older --admin-url, --admin-port/--host and PORTICO_ADMIN_URL', () => {
    expect(parseControlArgs(['--admin-url', 'http://a:3'], {}).endpoint).toBe('http://a:3');
    expect(parseControlArgs(['--admin-port', '9001'], {}).endpoint).toBe('http://127.0.0.1:9001');
    expect(parseControlArgs(['--host', '::1', '--admin-port', '9001'], {}).endpoint).toBe(
      'http://[::1]:9001',
    );
    expect(parseControlArgs([], { PORTICO_ADMIN_URL: 'http://b:4' }).endpoint).toBe('http://b:4');
  });
  it('command options are added; unknown ones throw', () => {
    expect(
      parseControlArgs(['-f', 'fn'], {}, { follow: { type: 'boolean', short: 'f' } }).values.follow,
    ).toBe(true);
    expect(() => parseControlArgs(['--follow'], {})).toThrow(/Unknown option '--follow'/);
  });
});

describe('positional arguments', () => {
  it('onePositional returns the one argument and refuses none or two', () => {
    expect(onePositional(parseControlArgs(['fn'], {}), 'missing FUNCTION')).toBe('fn');
    expect(() => onePositional(parseControlArgs([], {}), 'missing FUNCTION')).toThrow(
      new UsageError('missing FUNCTION'),
    );
    expect(() => onePositional(parseControlArgs(['a', 'b'], {}), 'missing FUNCTION')).toThrow(
      new UsageError('unexpected argument "b"'),
    );
  });
  it('noPositionals refuses the first argument', () => {
    expect(() => noPositionals(parseControlArgs([], {}))).not.toThrow();
    expect(() => noPositionals(parseControlArgs(['x', 'y'], {}))).toThrow(
      new UsageError('unexpected argument "x"'),
    );
  });
});
