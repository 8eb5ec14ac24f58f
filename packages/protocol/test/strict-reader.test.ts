import { describe, expect, it } from 'vitest';
import {
  asObject,
  failWith,
  FieldReader,
  jsonPointer,
  pointerToken,
  refuseUnknownKeys,
  strictObject,
} from '../src/strict-reader.js';

const fail = failWith('VALIDATION_FAILED', 'thing');

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: unknown; detail?: unknown };
    return { code: e.code, detail: e.detail };
  }
  return 'accepted';
}

describe('I11-3: one strict reader with one JSON-pointer field (detail.pointer)', () => {
  it('I11-3: escapes pointer tokens per RFC 6901', () => {
    expect(pointerToken('a/b~c')).toBe('a~1b~0c');
    expect(jsonPointer('', 'x')).toBe('/x');
    expect(jsonPointer('/list', 3)).toBe('/list/3');
  });

  it('I11-3: a refusal carries its code and detail.pointer, and nothing else', () => {
    expect(refusal(() => fail('/a', 'bad'))).toEqual({
      code: 'VALIDATION_FAILED',
      detail: { pointer: '/a' },
    });
  });

  it('I11-3: refuses non-objects and reports the smallest unknown key', () => {
    for (const v of [null, [], 'x', 1]) {
      expect(refusal(() => asObject(v, '/o', fail))).toEqual({
        code: 'VALIDATION_FAILED',
        detail: { pointer: '/o' },
      });
    }
    expect(refusal(() => refuseUnknownKeys({ z: 1, b: 2, a: 3 }, ['a'], '', fail))).toMatchObject({
      detail: { pointer: '/b' },
    });
    expect(
      refusal(() => refuseUnknownKeys({ 'x/y': 1 }, new Set(['a']), '/o', fail)),
    ).toMatchObject({ detail: { pointer: '/o/x~1y' } });
  });

  it('I11-3: strictObject wants every required key and copies own keys only', () => {
    const keys = { required: ['a'], optional: ['b'] };
    expect(refusal(() => strictObject({ b: 1 }, '', keys, fail))).toMatchObject({
      detail: { pointer: '/a' },
    });
    const inherited = Object.create({ a: 1 }) as object;
    expect(refusal(() => strictObject(inherited, '', keys, fail))).toMatchObject({
      detail: { pointer: '/a' },
    });
    expect(strictObject({ a: 1 }, '', keys, fail)).toEqual({ a: 1 });
  });

  it('I11-3: FieldReader narrows members and points at the bad one', () => {
    const r = FieldReader.strict(
      { s: 'x', n: 2, b: true, l: ['p', 'q'], o: { k: 'v' } },
      '/root',
      { required: ['s', 'n', 'b', 'l', 'o'], optional: ['maybe'] },
      fail,
    );
    expect([r.str('s'), r.num('n'), r.int('n', 0, 5), r.bool('b'), r.strList('l')]).toEqual([
      'x',
      2,
      2,
      true,
      ['p', 'q'],
    ]);
    expect(r.optStr('maybe')).toBeUndefined();
    expect(r.child('o', { required: ['k'] }).str('k')).toBe('v');
    expect(refusal(() => r.str('n'))).toMatchObject({ detail: { pointer: '/root/n' } });
    expect(refusal(() => r.int('n', 3, 5))).toMatchObject({ detail: { pointer: '/root/n' } });
    expect(refusal(() => r.num('maybe'))).toMatchObject({ detail: { pointer: '/root/maybe' } });
    expect(refusal(() => r.child('o', { required: ['j'] }))).toMatchObject({
      detail: { pointer: '/root/o/k' },
    });
  });
});
