import { describe, expect, it } from 'vitest';
import { appLogSettings, formatAppLine } from './app-log.js';

const time = new Date('2026-12-06T06:00:00.000Z');
const JSON_ALL = { json: true, min: 0 };

describe('appLogSettings', () => {
  it('reads the format and the lowest level from the variables', () => {
    expect(appLogSettings({})).toStrictEqual({ json: false, min: 0 });
    expect(appLogSettings({ AWS_LAMBDA_LOG_FORMAT: 'json', AWS_LAMBDA_LOG_LEVEL: 'warn' })).toStrictEqual({
      json: true,
      min: 3,
    });
    expect(appLogSettings({ AWS_LAMBDA_LOG_LEVEL: 'LOUD' })).toStrictEqual({ json: false, min: 0 });
  });
});

describe('formatAppLine', () => {
  it('writes text lines TAB-separated, as before', () => {
    expect(formatAppLine({ json: false, min: 0 }, time, 'r1', 'INFO', ['a', 1])).toBe(
      '2026-12-06T06:00:00.000Z\tr1\tINFO\ta 1\n',
    );
  });

  it('keeps a single value as the JSON message, and falls back to text for what JSON cannot hold', () => {
    expect(JSON.parse(formatAppLine(JSON_ALL, time, 'r1', 'INFO', [{ a: [1] }]))).toStrictEqual({
      timestamp: '2026-12-06T06:00:00.000Z',
      level: 'INFO',
      requestId: 'r1',
      message: { a: [1] },
    });
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    expect(JSON.parse(formatAppLine(JSON_ALL, time, 'r1', 'WARN', [cyclic])).message).toBe(
      "<ref *1> { name: 'c', self: [Circular *1] }",
    );
    expect(JSON.parse(formatAppLine(JSON_ALL, time, 'r1', 'WARN', [10n])).message).toBe('10n');
  });

  it('gives an Error as its fields, alone or after a message', () => {
    const err = Object.assign(new RangeError('out'), { code: 'E1' });
    const alone = JSON.parse(formatAppLine(JSON_ALL, time, 'r1', 'ERROR', [err])) as {
      message: Record<string, unknown>;
    };
    expect(alone.message).toMatchObject({ errorType: 'RangeError', errorMessage: 'out', code: 'E1' });
    expect((alone.message.stackTrace as string[])[0]).toBe('RangeError: out');
    const after = JSON.parse(formatAppLine(JSON_ALL, time, undefined, 'ERROR', ['failed', err])) as Record<
      string,
      unknown
    >;
    expect(after).toMatchObject({ level: 'ERROR', errorType: 'RangeError', errorMessage: 'out' });
    expect(after.requestId).toBeUndefined();
    expect(String(after.message).startsWith('failed RangeError: out\n')).toBe(true);
  });
});
