import { mkdtemp, readFile, readdir, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import canonicalizeRef from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { STATES, type State } from '@clearance/protocol';
import {
  parseWal,
  readWalFile,
  sealWalEntry,
  WalWriter,
  walChecksum,
  walMac,
  legacyPrefixOf,
} from '../../src/workflow/wal.js';
import { WalMacKey } from '../../src/workflow/wal-key.js';
import { reduce, toStateRecord } from '../../src/workflow/reducer.js';
import { canTransition, TRANSITIONS } from '../../src/workflow/states.js';
import { steppingClock } from '../../src/runtime.js';
import { assertValid } from '@clearance/protocol';

const WF = 'wf-0001';
const KEY_BYTES = Buffer.alloc(32, 7);
const KEY = WalMacKey.fromBytes(KEY_BYTES);

async function happyWal(dir: string): Promise<string> {
  const path = join(dir, 'wal.jsonl');
  const w = await WalWriter.create(path, WF, steppingClock(Date.UTC(2026, 0, 1), 1000), KEY);
  await w.append('workflow_started', { plan_token_hash: '', initial_state: 'INIT' });
  await w.append('step_started', { step_id: 'main', step_type: 'flight-plan' });
  await w.append('step_completed', { step_id: 'main' });
  await w.append('step_started', { step_id: 'main', step_type: 'validate' });
  await w.append('artifact_created', {
    artifact_id: 'main/change-0001',
    artifact_hash: 'a'.repeat(64),
    artifact_type: 'file_change',
  });
  await w.append('step_completed', { step_id: 'main' });
  await w.append('artifact_created', {
    artifact_id: 'main/plan-token',
    artifact_hash: 'b'.repeat(64),
    artifact_type: 'cabincrew.plan-token',
  });
  await w.append('step_started', { step_id: 'main', step_type: 'preflight' });
  await w.append('policy_evaluated', {
    evaluation_id: 'e1',
    policy_name: 'rules/default',
    decision: 'require_approval',
  });
  await w.append('policy_evaluated', {
    evaluation_id: 'e2',
    policy_name: 'cabincrew.aggregate',
    decision: 'require_approval',
  });
  await w.append('step_completed', { step_id: 'main' });
  await w.append('approval_requested', {
    approval_id: 'ap-1',
    step_id: 'main',
    required_role: 'approver',
  });
  await w.append('approval_received', { approval_id: 'ap-1', approved: true, approver: 'alice' });
  await w.append('step_started', { step_id: 'main', step_type: 'verify' });
  await w.append('step_completed', { step_id: 'main' });
  await w.append('step_started', { step_id: 'main', step_type: 'take-off' });
  await w.append('step_completed', { step_id: 'main' });
  await w.append('workflow_completed', { final_state: 'COMPLETED', artifacts: [] });
  await w.close();
  return path;
}

describe('state machine (§4.2.13)', () => {
  it('has a row for every State and FAILED from every non-terminal state', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATES].sort());
    for (const s of STATES) {
      if (s === 'COMPLETED' || s === 'FAILED') expect(TRANSITIONS[s]).toEqual([]);
      else expect(canTransition(s, 'FAILED')).toBe(true);
    }
  });
  it('refuses skipping stages (GEN-12)', () => {
    const illegal: [State, State][] = [
      ['INIT', 'TOKEN_CREATED'],
      ['AWAITING_APPROVAL', 'TAKEOFF_RUNNING'],
      ['TOKEN_CREATED', 'READY_FOR_TAKEOFF'],
      ['PREFLIGHT_COMPLETE', 'TAKEOFF_RUNNING'],
      ['FAILED', 'PLAN_RUNNING'],
      ['COMPLETED', 'FAILED'],
    ];
    for (const [a, b] of illegal) expect(canTransition(a, b)).toBe(false);
  });
});

describe('WAL (§4.2.9)', () => {
  it('B4/WAL-3: pins the checksum encoding: HMAC-SHA256(key, cabincrew.wal-entry.v1 ‖ 0 ‖ JCS(entry minus checksum))', () => {
    const e = sealWalEntry(
      0,
      '2026-01-01T00:00:00.000Z',
      WF,
      'workflow_started',
      { plan_token_hash: '', initial_state: 'INIT' },
      KEY,
    );
    const { checksum, ...rest } = e;
    const text = canonicalizeRef(rest) ?? '';
    const message = Buffer.concat([
      Buffer.from('cabincrew.wal-entry.v1'),
      Buffer.from([0]),
      Buffer.from(text),
    ]);
    const expected = createHmac('sha256', KEY_BYTES).update(message).digest('hex');
    expect(checksum).toBe(expected);
    expect(walMac(KEY, e)).toBe(expected);
    // The legacy, unkeyed checksum is still the spec's H over the same bytes.
    expect(walChecksum(e)).toBe(createHash('sha256').update(message).digest('hex'));
  });

  // Also proves SCH-3.
  it('refuses to seal a data variant that does not match the entry type (G-10)', () => {
    expect(() =>
      sealWalEntry(
        0,
        '2026-01-01T00:00:00.000Z',
        WF,
        'workflow_failed',
        { step_id: 'x' } as never,
        KEY,
      ),
    ).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
  });

  // Also proves WAL-1, WAL-2.
  it('replays a full workflow; every line is schema-valid and the snapshot validates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wal-'));
    const path = await happyWal(dir);
    const parsed = await readWalFile(path, WF, KEY);
    expect(parsed.corruption).toBeUndefined();
    expect(parsed.entries).toHaveLength(18);
    const view = reduce(parsed.entries);
    expect(view.state).toBe('COMPLETED');
    expect(view.takeoffStarts).toBe(1);
    expect(view.approvals[0]).toMatchObject({ approver: 'alice', plan_token_hash: 'b'.repeat(64) });
    assertValid('WorkflowStateRecord', toStateRecord(view));
  });

  it('S-24a/b: a flipped byte or a deleted middle line halts with the index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wal-'));
    const path = await happyWal(dir);
    const bytes = await readFile(path);
    const lines = bytes.toString('utf8').split('\n');
    const flipped = [...lines];
    flipped[4] = (flipped[4] ?? '').replace('file_change', 'file_chang3');
    expect(parseWal(Buffer.from(flipped.join('\n')), WF, KEY).corruption?.index).toBe(4);
    const deleted = lines.filter((_, i) => i !== 4);
    const c = parseWal(Buffer.from(deleted.join('\n')), WF, KEY).corruption;
    expect(c?.index).toBe(4);
    expect(c?.reason).toMatch(/sequence/);
    expect(parseWal(bytes, 'wf-other', KEY).corruption?.index).toBe(0);
  });

  it('S-24c: a torn final line is quarantined and truncated; the writer continues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wal-'));
    const path = join(dir, 'wal.jsonl');
    const w = await WalWriter.create(path, WF, steppingClock(0, 1), KEY);
    await w.append('workflow_started', { plan_token_hash: '', initial_state: 'INIT' });
    await w.close();
    await appendFile(path, '{"sequence":1,"timest');
    const q = join(dir, 'quarantine');
    await import('node:fs/promises').then((fs) => fs.mkdir(q));
    const { writer, entries, torn } = await WalWriter.open(path, q, WF, steppingClock(0, 1), KEY);
    expect(entries).toHaveLength(1);
    expect(torn?.length).toBe(21);
    expect(await readdir(q)).toHaveLength(1);
    await writer.append('step_started', { step_id: 'main', step_type: 'flight-plan' });
    await writer.close();
    expect(reduce((await readWalFile(path, WF, KEY)).entries).state).toBe('PLAN_RUNNING');
  });

  it('refuses to open a corrupt WAL and leaves it untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wal-'));
    const path = await happyWal(dir);
    const bytes = await readFile(path);
    const bad = Buffer.from(bytes);
    bad[40] = bad[40] === 0x31 ? 0x32 : 0x31;
    await writeFile(path, bad);
    await expect(WalWriter.open(path, dir, WF, steppingClock(0, 1), KEY)).rejects.toMatchObject({
      code: 'WAL_CORRUPT',
    });
    expect((await readFile(path)).equals(bad)).toBe(true);
  });
});

describe('WAL MAC (issue 10 B4)', () => {
  const forge = (sequence: number, checksumOf: (body: Record<string, unknown>) => string) => {
    const body = {
      sequence,
      timestamp: '2026-01-01T00:01:00.000Z',
      workflow_id: WF,
      entry_type: 'approval_received',
      data: { approval_id: 'ap-x', approved: true, approver: 'mallory' },
    };
    return `${canonicalizeRef({ ...body, checksum: checksumOf(body) }) ?? ''}\n`;
  };

  it('B4/WAL-5: an appended line with a recomputed unkeyed checksum, or a MAC under another key, is corruption', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wal-'));
    const path = await happyWal(dir);
    const bytes = await readFile(path);
    const n = parseWal(bytes, WF, KEY).entries.length;
    const unkeyed = Buffer.concat([bytes, Buffer.from(forge(n, (b) => walChecksum(b)))]);
    expect(parseWal(unkeyed, WF, KEY).corruption).toEqual({
      index: n,
      reason: 'checksum mismatch',
    });
    const other = WalMacKey.fromBytes(Buffer.alloc(32, 8));
    const wrongMac = Buffer.concat([bytes, Buffer.from(forge(n, (b) => walMac(other, b)))]);
    expect(parseWal(wrongMac, WF, KEY).corruption).toEqual({
      index: n,
      reason: 'checksum mismatch',
    });
    // With the right key the same line verifies: the MAC, not the format, is what refuses it.
    const right = Buffer.concat([bytes, Buffer.from(forge(n, (b) => walMac(KEY, b)))]);
    expect(parseWal(right, WF, KEY).corruption).toBeUndefined();
  });

  it('B4/WAL-4: a legacy (unkeyed) WAL is accepted only up to its recorded prefix', () => {
    const T = '2026-01-01T00:00:00.000Z';
    const line = (seq: number, type: string, data: object) => {
      const body = { sequence: seq, timestamp: T, workflow_id: WF, entry_type: type, data };
      return `${canonicalizeRef({ ...body, checksum: walChecksum(body) }) ?? ''}\n`;
    };
    const old = Buffer.from(
      line(0, 'workflow_started', { plan_token_hash: '', initial_state: 'INIT' }) +
        line(1, 'step_started', { step_id: 'main', step_type: 'flight-plan' }),
    );
    const prefix = legacyPrefixOf(old, WF);
    expect(prefix).toMatchObject({ entries: 2, bytes: old.length });
    if (prefix === undefined) throw new Error('no prefix');
    const key = WalMacKey.fromBytes(KEY_BYTES, new Map([[WF, prefix]]));
    expect(parseWal(old, WF, key).entries).toHaveLength(2);
    expect(parseWal(old, WF, KEY).corruption?.index).toBe(0); // no legacy record: refused
    const keyedNext = sealWalEntry(2, T, WF, 'step_completed', { step_id: 'main' }, key);
    const mixed = Buffer.concat([old, Buffer.from(`${canonicalizeRef(keyedNext) ?? ''}\n`)]);
    expect(parseWal(mixed, WF, key).entries).toHaveLength(3);
    const unkeyedNext = Buffer.concat([
      old,
      Buffer.from(line(2, 'step_completed', { step_id: 'main' })),
    ]);
    expect(parseWal(unkeyedNext, WF, key).corruption).toEqual({
      index: 2,
      reason: 'checksum mismatch',
    });
    const edited = Buffer.from(old.toString('utf8').replace('flight-plan', 'validate'));
    expect(parseWal(edited, WF, key).corruption?.index).toBe(0);
  });
});

describe('WAL MAC key file (issue 10 B4)', () => {
  it('B4/WAL-5: keys/wal-mac.key is created 0600, once, and refused when group/other can read it', async () => {
    const { chmod, stat } = await import('node:fs/promises');
    const dir = await mkdtemp(join(tmpdir(), 'clearance-walkey-'));
    const created = await WalMacKey.create(dir, '2026-01-01T00:00:00.000Z');
    expect(((await stat(join(dir, 'wal-mac.key'))).mode & 0o777).toString(8)).toBe('600');
    const loaded = await WalMacKey.load(dir);
    expect(loaded.mac('cabincrew.wal-entry.v1', '{}')).toBe(
      created.mac('cabincrew.wal-entry.v1', '{}'),
    );
    await expect(WalMacKey.create(dir, '2026-01-01T00:00:00.000Z')).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
    await chmod(join(dir, 'wal-mac.key'), 0o644);
    await expect(WalMacKey.load(dir)).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});

describe('reducer (§4.2.10)', () => {
  const T = '2026-01-01T00:00:00.000Z';
  const seal = (entries: [string, object][]) =>
    entries.map(([type, data], i) => sealWalEntry(i, T, WF, type as never, data as never, KEY));
  const start: [string, object][] = [
    ['workflow_started', { plan_token_hash: '', initial_state: 'INIT' }],
  ];

  it('refuses take-off straight after planning, and a second take-off start', () => {
    expect(() =>
      reduce(seal([...start, ['step_started', { step_id: 'main', step_type: 'take-off' }]])),
    ).toThrow(expect.objectContaining({ code: 'WAL_CORRUPT' }));
  });

  it('refuses an answer to an approval that is not pending, and entries after a terminal state', () => {
    expect(() =>
      reduce(
        seal([
          ...start,
          ['approval_received', { approval_id: 'x', approved: true, approver: 'a' }],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'WAL_CORRUPT' }));
    expect(() =>
      reduce(
        seal([
          ...start,
          ['workflow_failed', { error: 'boom' }],
          ['step_started', { step_id: 'main', step_type: 'flight-plan' }],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'WAL_CORRUPT' }));
  });

  it('re-running an open flight-plan counts the launch but keeps the state (recovery_rerun)', () => {
    const v = reduce(
      seal([
        ...start,
        ['step_started', { step_id: 'main', step_type: 'flight-plan' }],
        ['step_started', { step_id: 'main', step_type: 'flight-plan' }],
      ]),
    );
    expect(v.state).toBe('PLAN_RUNNING');
    expect(v.runs).toBe(2);
  });

  it('a crash in take-off leaves TAKEOFF_RUNNING, and take-off cannot be re-opened', () => {
    const pre: [string, object][] = [
      ...start,
      ['step_started', { step_id: 'main', step_type: 'flight-plan' }],
      ['step_completed', { step_id: 'main' }],
      ['step_started', { step_id: 'main', step_type: 'validate' }],
      ['step_completed', { step_id: 'main' }],
      [
        'artifact_created',
        {
          artifact_id: 'main/plan-token',
          artifact_hash: 'b'.repeat(64),
          artifact_type: 'cabincrew.plan-token',
        },
      ],
      ['step_started', { step_id: 'main', step_type: 'preflight' }],
      [
        'policy_evaluated',
        { evaluation_id: 'e', policy_name: 'cabincrew.aggregate', decision: 'allow' },
      ],
      ['step_completed', { step_id: 'main' }],
      ['step_started', { step_id: 'main', step_type: 'verify' }],
      ['step_completed', { step_id: 'main' }],
      ['step_started', { step_id: 'main', step_type: 'take-off' }],
    ];
    expect(reduce(seal(pre)).state).toBe('TAKEOFF_RUNNING');
    expect(() =>
      reduce(seal([...pre, ['step_started', { step_id: 'main', step_type: 'take-off' }]])),
    ).toThrow(expect.objectContaining({ code: 'WAL_CORRUPT' }));
  });

  it('a deny aggregate can never complete preflight', () => {
    expect(() =>
      reduce(
        seal([
          ...start,
          ['step_started', { step_id: 'main', step_type: 'flight-plan' }],
          ['step_completed', { step_id: 'main' }],
          ['step_started', { step_id: 'main', step_type: 'validate' }],
          ['step_completed', { step_id: 'main' }],
          [
            'artifact_created',
            {
              artifact_id: 'main/plan-token',
              artifact_hash: 'b'.repeat(64),
              artifact_type: 'cabincrew.plan-token',
            },
          ],
          ['step_started', { step_id: 'main', step_type: 'preflight' }],
          [
            'policy_evaluated',
            { evaluation_id: 'e', policy_name: 'cabincrew.aggregate', decision: 'deny' },
          ],
          ['step_completed', { step_id: 'main' }],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'WAL_CORRUPT' }));
  });
});
