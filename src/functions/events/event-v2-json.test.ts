import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventV2Json, jsonString } from './event-v2-json.js';
import { buildEventV2 } from './index.js';
import type { ProxyRequestInput } from './index.js';
import { base, cases } from './request-inputs.fixture.js';

/** The reference: the event object, stringified. The direct writer must give the same text. */
const reference = (input: ProxyRequestInput): string => JSON.stringify(buildEventV2(input));

describe('eventV2Json', () => {
  it.each(cases)('%s: same text as JSON.stringify(buildEventV2())', (_name, patch) => {
    const input = { ...base, ...patch };
    expect(eventV2Json(input)).toBe(reference(input));
  });

  it('matches the recorded 2.0 fixtures', () => {
    const dir = new URL('./fixtures/events/', import.meta.url);
    const names = readdirSync(dir).filter((n) => n.startsWith('http-v2-'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const fixture = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as {
        input: Omit<ProxyRequestInput, 'body' | 'pathParameters' | 'stageVariables'> & {
          body: { utf8: string } | { base64: string } | null;
          pathParameters: Record<string, string> | null;
          stageVariables: Record<string, string> | null;
        };
        expected: unknown;
      };
      const { body, pathParameters, stageVariables, ...rest } = fixture.input;
      const input: ProxyRequestInput = {
        ...rest,
        body:
          body === null
            ? undefined
            : 'utf8' in body
              ? Buffer.from(body.utf8, 'utf8')
              : Buffer.from(body.base64, 'base64'),
        pathParameters: pathParameters ?? undefined,
        stageVariables: stageVariables ?? undefined,
      };
      expect(eventV2Json(input), name).toBe(JSON.stringify(fixture.expected));
    }
  });

  it('escapes exactly what JSON.stringify escapes', () => {
    const samples = [
      '',
      'plain',
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      ' ',
      '\u007f',
      'é',
      '😀',
      '\ud83d',
      '\ude00x',
    ];
    for (const s of samples) expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});
