import { canonicalize, validate } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import {
  buildArtifact,
  parseArtifact,
  serializeArtifact,
} from '../../../src/engines/patch/artifact-format.js';
import { planPatch } from '../../../src/engines/patch/planner.js';
import { expectRefused, gitModify, LIMITS, lines, tempDir, writeTree } from './helpers.js';

function sampleJson(): string {
  const ws = tempDir();
  writeTree(ws, { 'a.txt': 'one\n' });
  const [change] = planPatch(ws, gitModify('a.txt', '@@ -1 +1 @@', '-one', '+1'), LIMITS);
  if (change === undefined) throw new Error('no change');
  return serializeArtifact(buildArtifact(change));
}

describe('artifact.json format', () => {
  it('is schema-valid (Artifact), canonical RFC 8785 and round-trips', () => {
    const json = sampleJson();
    const value: unknown = JSON.parse(json);
    expect(validate('Artifact', value).ok).toBe(true);
    expect(canonicalize(value)).toBe(json);
    expect(serializeArtifact(parseArtifact(Buffer.from(json)))).toBe(json);
    expect(value).toMatchObject({
      artifact_type: 'file_change',
      action: 'modify',
      target: 'a.txt',
      mime: 'text/x-diff',
      body_file: 'body.data',
      metadata: {
        path: 'a.txt',
        old_mode: '100644',
        new_mode: '100644',
        additions: 1,
        deletions: 1,
      },
    });
  });

  it('covers create and delete with null sides', () => {
    const ws = tempDir();
    writeTree(ws, { 'gone.txt': 'x\n' });
    const planned = planPatch(
      ws,
      lines('--- /dev/null', '+++ b/new.txt', '@@ -0,0 +1 @@', '+n') +
        lines('--- a/gone.txt', '+++ /dev/null', '@@ -1 +0,0 @@', '-x'),
      LIMITS,
    );
    const [create, del] = planned.map((c) =>
      parseArtifact(Buffer.from(serializeArtifact(buildArtifact(c)))),
    );
    expect(create?.metadata).toMatchObject({
      old_sha256: null,
      old_mode: null,
      new_mode: '100644',
    });
    expect(del?.metadata).toMatchObject({ new_sha256: null, new_mode: null, old_mode: '100644' });
  });
});

describe('parseArtifact refusals (ARTIFACT_INVALID)', () => {
  type Doc = Record<string, unknown> & { metadata: Record<string, unknown> };
  const edit = (fn: (o: Doc) => void): Buffer => {
    const o = JSON.parse(sampleJson()) as Doc;
    fn(o);
    return Buffer.from(canonicalize(o));
  };
  const cases: [string, () => Buffer, string][] = [
    ['not UTF-8', () => Buffer.from([0xff, 0xfe]), 'json'],
    ['not JSON', () => Buffer.from('{'), 'json'],
    ['an array', () => Buffer.from('[]'), 'json'],
    ['an extra key', () => edit((o) => (o.role = 'evidence')), 'keys'],
    ['a missing key', () => edit((o) => delete o.mime), 'keys'],
    ['an extra metadata key', () => edit((o) => (o.metadata.extra = 1)), 'keys'],
    ['another artifact type', () => edit((o) => (o.artifact_type = 'file')), 'type'],
    ['another body file', () => edit((o) => (o.body_file = '../x')), 'type'],
    ['an unknown action', () => edit((o) => (o.action = 'chmod')), 'action'],
    ['a target differing from metadata.path', () => edit((o) => (o.target = 'b.txt')), 'target'],
    ['an uppercase sha', () => edit((o) => (o.metadata.old_sha256 = 'A'.repeat(64))), 'metadata'],
    ['a symlink mode', () => edit((o) => (o.metadata.new_mode = '120000')), 'metadata'],
    ['a negative count', () => edit((o) => (o.metadata.additions = -1)), 'metadata'],
    ['a modify with a null side', () => edit((o) => (o.metadata.new_sha256 = null)), 'metadata'],
    ['a create with an old side', () => edit((o) => (o.action = 'create')), 'metadata'],
    [
      'whitespace',
      () => Buffer.from(JSON.stringify(JSON.parse(sampleJson()), null, 1)),
      'not-canonical',
    ],
    [
      'reordered keys',
      () => Buffer.from(JSON.stringify({ mime: 'text/x-diff', ...JSON.parse(sampleJson()) })),
      'not-canonical',
    ],
    [
      'a duplicate key',
      () =>
        Buffer.from(
          sampleJson().replace('{"action":"modify",', '{"action":"delete","action":"modify",'),
        ),
      'not-canonical',
    ],
  ];
  it.each(cases)('refuses %s', (_name, bytes, reason) => {
    expectRefused(() => parseArtifact(bytes()), 'ARTIFACT_INVALID', reason);
  });
});
