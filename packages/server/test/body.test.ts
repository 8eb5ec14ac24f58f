/** Stripping of client-sent authority fields (RMOS S1), as a pure function. */
import { parseJsonStrict } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { AUTHORITY_FIELDS, stripAuthorityFields } from '../src/index.js';

describe('stripAuthorityFields', () => {
  it('removes every authority field at the four levels and reports its JSONPath', () => {
    const all = Object.fromEntries(AUTHORITY_FIELDS.map((k) => [k, 1]));
    const { body, stripped } = stripAuthorityFields({
      engine: 'patch',
      ...all,
      input: { ...all, config: { patch: 'p', ...all }, context: { ticket: 'T', ...all } },
    });
    expect(body).toEqual({
      engine: 'patch',
      input: { config: { patch: 'p' }, context: { ticket: 'T' } },
    });
    for (const prefix of ['$', '$.input', '$.input.config', '$.input.context']) {
      for (const k of AUTHORITY_FIELDS) expect(stripped).toContain(`${prefix}.${k}`);
    }
    expect(stripped).toHaveLength(4 * AUTHORITY_FIELDS.length);
  });

  it('leaves deeper levels, arrays and non-objects alone and never mutates its input', () => {
    const input = {
      engine: 'patch',
      input: { config: { nested: { score: 1 }, list: [{ decision: 'allow' }] } },
    };
    const copy = structuredClone(input);
    const { body, stripped } = stripAuthorityFields(input);
    expect(body).toEqual(copy);
    expect(input).toEqual(copy);
    expect(stripped).toEqual([]);
    expect(stripAuthorityFields([{ score: 1 }])).toEqual({ body: [{ score: 1 }], stripped: [] });
    expect(stripAuthorityFields(null)).toEqual({ body: null, stripped: [] });
    expect(stripAuthorityFields({ input: 'x', score: 1 })).toEqual({
      body: { input: 'x' },
      stripped: ['$.score'],
    });
  });

  it('keeps a "__proto__" key an ordinary key (no prototype change)', () => {
    const parsed = parseJsonStrict('{"engine":"patch","__proto__":{"polluted":true},"score":1}');
    const { body } = stripAuthorityFields(parsed);
    expect(Object.keys(body as object)).toEqual(['engine', '__proto__']);
    expect((body as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
