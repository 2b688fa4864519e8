import { describe, expect, it } from 'vitest';
import { errorOf } from './config-errors.fixture.js';
import { parseConfigText } from './load.js';
import { configToModel } from './to-model.js';

// functions.<name>.loggingConfig: Lambda's LoggingConfig in the file (schema, mapping, the Text rule).
const HEAD = `functions:
  plain: { handler: index.handler, code: ./plain }
  worker:
    handler: index.handler
    code: ./worker
    loggingConfig:
`;
// The members under worker.loggingConfig start on line 7.
const withLogging = (lines: string): string => `${HEAD}${lines}`;

const modelOf = (text: string) =>
  configToModel('/x/portico.yaml', parseConfigText('portico.yaml', text), {
    region: 'us-east-1',
    accountId: '000000000000',
  }).functions;

describe('functions.<name>.loggingConfig', () => {
  it('becomes FunctionDef.loggingConfig with every member the file sets', () => {
    const [plain, worker] = modelOf(
      withLogging(
        '      logFormat: JSON\n      applicationLogLevel: DEBUG\n      systemLogLevel: WARN\n      logGroup: /shared/logs\n',
      ),
    );
    expect(worker?.loggingConfig).toStrictEqual({
      logFormat: 'JSON',
      applicationLogLevel: 'DEBUG',
      systemLogLevel: 'WARN',
      logGroup: '/shared/logs',
    });
    expect(plain !== undefined && 'loggingConfig' in plain).toBe(false);
  });

  it('leaves unset members out (the levels and log group keep their defaults)', () => {
    expect(modelOf(withLogging('      logFormat: JSON\n'))[1]?.loggingConfig).toStrictEqual({
      logFormat: 'JSON',
    });
    expect(
      modelOf(withLogging('      systemLogLevel: DEBUG\n      logFormat: JSON\n'))[1]?.loggingConfig,
    ).toStrictEqual({ logFormat: 'JSON', systemLogLevel: 'DEBUG' });
  });

  it('defaults the format to Text', () => {
    expect(modelOf(withLogging('      logGroup: my-group_1.#x\n'))[1]?.loggingConfig).toStrictEqual({
      logFormat: 'Text',
      logGroup: 'my-group_1.#x',
    });
    expect(modelOf(withLogging('      logFormat: Text\n'))[1]?.loggingConfig).toStrictEqual({
      logFormat: 'Text',
    });
  });

  it('accepts every level and a 512-character log group', () => {
    for (const app of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']) {
      for (const system of ['DEBUG', 'INFO', 'WARN']) {
        const text = withLogging(
          `      logFormat: JSON\n      applicationLogLevel: ${app}\n      systemLogLevel: ${system}\n`,
        );
        expect(modelOf(text)[1]?.loggingConfig).toStrictEqual({
          logFormat: 'JSON',
          applicationLogLevel: app,
          systemLogLevel: system,
        });
      }
    }
    const group = `/${'g'.repeat(511)}`;
    expect(modelOf(withLogging(`      logGroup: ${group}\n`))[1]?.loggingConfig?.logGroup).toBe(group);
  });

  it.each([
    ['an unknown format', '      logFormat: XML\n', 'logFormat: must be one of "Text", "JSON"'],
    ['a lowercase format', '      logFormat: json\n', 'logFormat: must be one of "Text", "JSON"'],
    [
      'an unknown application level',
      '      applicationLogLevel: VERBOSE\n      logFormat: JSON\n',
      'applicationLogLevel: must be one of "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"',
    ],
    [
      'an application-only level as system level',
      '      systemLogLevel: ERROR\n      logFormat: JSON\n',
      'systemLogLevel: must be one of "DEBUG", "INFO", "WARN"',
    ],
    ['an unknown field', '      logLevel: DEBUG\n', 'logLevel: unknown field'],
    ['an empty log group', "      logGroup: ''\n", 'logGroup: must NOT have fewer than 1 characters'],
    [
      'a log group with a space',
      "      logGroup: 'my group'\n",
      'logGroup: must match pattern "^[.\\-_/#A-Za-z0-9]+$"',
    ],
    [
      'a log group over 512 characters',
      `      logGroup: ${'g'.repeat(513)}\n`,
      'logGroup: must NOT have more than 512 characters',
    ],
  ])('rejects %s', (_name, lines, reason) => {
    expect(errorOf(withLogging(lines)).message).toBe(
      `portico.yaml:7: functions.worker.loggingConfig.${reason}`,
    );
  });

  it.each([
    [
      'an application level with Text',
      '      logFormat: Text\n      applicationLogLevel: DEBUG\n',
      'portico.yaml:8: functions.worker.loggingConfig.applicationLogLevel: log levels need logFormat: JSON (the format is Text)',
    ],
    [
      'a system level with Text',
      '      logFormat: Text\n      systemLogLevel: WARN\n',
      'portico.yaml:8: functions.worker.loggingConfig.systemLogLevel: log levels need logFormat: JSON (the format is Text)',
    ],
    [
      'a level with the default format',
      '      logGroup: /x\n      applicationLogLevel: INFO\n',
      'portico.yaml:8: functions.worker.loggingConfig.applicationLogLevel: log levels need logFormat: JSON (the format is Text by default)',
    ],
  ])('rejects %s (Lambda refuses log levels with the Text format)', (_name, lines, message) => {
    const err = errorOf(withLogging(lines));
    expect(err.message).toBe(message);
    expect(err.line).toBe(8);
  });
});
