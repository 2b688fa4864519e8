import { describe, expect, it } from 'vitest';
import { eventV2Json, jsonString } from './event-v2-json.js';
import { buildEventV2 } from './index.js';
import type { ProxyRequestInput } from './index.js';
import { base, cases, recorded, toInput } from './request-inputs.fixture.js';

/** The reference: the event object, stringified. The direct writer must give the same text. */
const reference = (input: ProxyRequestInput): string => JSON.stringify(buildEventV2(input));

describe('eventV2Json', () => {
  it.each(cases)('%s: same text as JSON.stringify(buildEventV2())', (_name, patch) => {
    const input = { ...base, ...patch };
    expect(eventV2Json(input)).toBe(reference(input));
  });

  it.each(recorded.filter((r) => r.fixture.version === '2.0' && r.name.startsWith('http-')))(
    'matches the recorded sample $name',
    ({ fixture }) => {
      expect(eventV2Json(toInput(fixture))).toBe(JSON.stringify(fixture.expected));
    },
  );

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
