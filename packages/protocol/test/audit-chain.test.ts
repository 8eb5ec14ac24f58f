import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../src/audit/checkpoint.js';
import { sealAuditEvent, type AuditEventDraft } from '../src/audit/event.js';
import { verifyAuditLog } from '../src/audit/verify.js';
import { hashLeaf, merkleRoot } from '../src/merkle.js';
import { digestSigner, trustedKeysFrom, type DigestSigner } from '../src/signing.js';

// Invariant AUD-5 / S-24: any change to a stored audit log is detected at the right index.

function keyPair(): {
  signer: DigestSigner;
  publicKey: ReturnType<typeof generateKeyPairSync>['publicKey'];
} {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { signer: digestSigner(privateKey, publicKey), publicKey };
}

const main = keyPair();
const trusted = trustedKeysFrom([main.publicKey]);

function draft(i: number): AuditEventDraft {
  return {
    event_id: `evt-${i}`,
    timestamp: new Date(Date.UTC(2026, 10, 23, 12, 0, 0, i)).toISOString(),
    event_type: i === 0 ? 'audit_log_created' : 'state_transition',
    workflow_state: i === 0 ? 'NONE' : 'PLAN_RUNNING',
    workflow: { workflow_id: 'wf-1', step_id: 'step-1' },
    message: `event number ${i} — ünïcode ✓`,
    severity: 'info',
  };
}

/** Build a log of n events; optionally switch signer from index `switchAt`. */
function buildLog(
  n: number,
  signers: (i: number) => DigestSigner = () => main.signer,
): { lines: string[]; bytes: Buffer } {
  const lines: string[] = [];
  let prev: Buffer | undefined;
  for (let i = 0; i < n; i++) {
    const sealed = sealAuditEvent(draft(i), prev, signers(i));
    lines.push(sealed.line);
    prev = sealed.digest;
  }
  return { lines, bytes: Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8') };
}

function checkpointFor(lines: string[], size: number, logId: string): string {
  const root = merkleRoot(lines.slice(0, size).map((l) => hashLeaf(Buffer.from(l, 'utf8'))));
  return sealCheckpoint(
    {
      log_id: logId,
      tree_size: size,
      root_hash: Buffer.from(root).toString('hex'),
      timestamp: '2026-11-23T12:00:01.000Z',
    },
    main.signer,
  ).line;
}

function verify(bytes: Uint8Array, checkpoints?: string[]) {
  return verifyAuditLog({
    log: bytes,
    trustedKeys: trusted,
    ...(checkpoints === undefined
      ? {}
      : { checkpoints: Buffer.from(checkpoints.map((c) => `${c}\n`).join('')) }),
  });
}

describe('a well-formed log', () => {
  it('verifies, with checkpoints, and reports its root and id', () => {
    const { lines, bytes } = buildLog(10);
    const first = verify(bytes);
    expect(first.ok).toBe(true);
    expect(first.verifiedEvents).toBe(10);
    const logId = first.logId as string;
    const result = verify(bytes, [checkpointFor(lines, 4, logId), checkpointFor(lines, 10, logId)]);
    expect(result).toMatchObject({
      ok: true,
      verifiedEvents: 10,
      verifiedCheckpoints: 2,
      checkpointedSize: 10,
    });
    expect(result.rootHash).toBe(
      Buffer.from(merkleRoot(lines.map((l) => hashLeaf(Buffer.from(l))))).toString('hex'),
    );
  });

  it('an empty log is intact', () => {
    expect(verify(Buffer.alloc(0)).ok).toBe(true);
  });
});

describe('when one byte of any event is changed', () => {
  const { lines, bytes } = buildLog(4);
  const offsets = lines.map((_, i) =>
    lines.slice(0, i).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0),
  );
  const indexOfByte = (pos: number): number => offsets.filter((o) => o <= pos).length - 1;

  it('every single-byte flip of every event (three masks) is caught at that event', () => {
    let checked = 0;
    for (let pos = 0; pos < bytes.length; pos++) {
      for (const mask of [0x01, 0x20, 0x80]) {
        const tampered = Buffer.from(bytes);
        tampered[pos] = (tampered[pos] as number) ^ mask;
        const result = verify(tampered);
        expect(result.ok, `flip ${mask} at byte ${pos}`).toBe(false);
        const at = result.break?.index as number;
        // A flipped newline merges or splits lines: the break is at that event or the next one.
        const expected = indexOfByte(pos);
        const isNewline = bytes[pos] === 0x0a;
        expect(
          isNewline ? [expected, expected + 1] : [expected],
          `byte ${pos}: ${result.break?.reason}`,
        ).toContain(at);
        checked++;
      }
    }
    expect(checked).toBe(bytes.length * 3);
  });
});

describe('structural tampering', () => {
  const { lines } = buildLog(6);
  const join = (ls: string[]): Buffer => Buffer.from(ls.map((l) => `${l}\n`).join(''));

  it('deleting an event breaks the link at its position', () => {
    const r = verify(join([...lines.slice(0, 3), ...lines.slice(4)]));
    expect(r.break).toMatchObject({ index: 3, code: 'AUDIT_LINK_BROKEN' });
  });

  it('deleting the first event is caught at 0', () => {
    expect(verify(join(lines.slice(1))).break).toMatchObject({
      index: 0,
      code: 'AUDIT_LINK_BROKEN',
    });
  });

  it('reordering two events is caught at the first swapped position', () => {
    const swapped = [...lines];
    [swapped[2], swapped[3]] = [swapped[3] as string, swapped[2] as string];
    expect(verify(join(swapped)).break).toMatchObject({ index: 2, code: 'AUDIT_LINK_BROKEN' });
  });

  it('truncating the tail below a signed checkpoint is AUDIT_TRUNCATED at the first missing index', () => {
    const logId = verify(join(lines)).logId as string;
    const cp = checkpointFor(lines, 6, logId);
    expect(verify(join(lines.slice(0, 4)), [cp]).break).toMatchObject({
      index: 4,
      code: 'AUDIT_TRUNCATED',
    });
  });

  it('a torn final line is reported as AUDIT_TORN_TAIL, not dropped and not accepted', () => {
    const torn = Buffer.concat([
      join(lines.slice(0, 5)),
      Buffer.from((lines[5] as string).slice(0, 40)),
    ]);
    const r = verify(torn);
    expect(r.ok).toBe(false);
    expect(r.verifiedEvents).toBe(5);
    expect(r.break).toMatchObject({ index: 5, code: 'AUDIT_TORN_TAIL' });
  });

  it('a complete final event without its newline is still torn', () => {
    const r = verify(Buffer.from(join(lines).subarray(0, -1)));
    expect(r.break).toMatchObject({ index: 5, code: 'AUDIT_TORN_TAIL' });
  });

  it('an event signed by another key is AUDIT_KEY_UNKNOWN at that index', () => {
    const other = keyPair();
    const { bytes } = buildLog(6, (i) => (i >= 3 ? other.signer : main.signer));
    expect(verify(bytes).break).toMatchObject({ index: 3, code: 'AUDIT_KEY_UNKNOWN' });
  });

  it('a log fully re-signed with a swapped key fails at 0 against the pinned key', () => {
    const other = keyPair();
    expect(verify(buildLog(6, () => other.signer).bytes).break).toMatchObject({
      index: 0,
      code: 'AUDIT_KEY_UNKNOWN',
    });
  });

  it('a signature made with another key under the trusted key ref is AUDIT_SIGNATURE_INVALID', () => {
    const other = keyPair();
    const forger: DigestSigner = { keyRef: main.signer.keyRef, sign: (d) => other.signer.sign(d) };
    const { bytes } = buildLog(6, (i) => (i === 4 ? forger : main.signer));
    expect(verify(bytes).break).toMatchObject({ index: 4, code: 'AUDIT_SIGNATURE_INVALID' });
  });

  it('a rewritten history that still chains is caught by the checkpoint root', () => {
    const logId = verify(join(lines)).logId as string;
    const cp2 = checkpointFor(lines, 2, logId);
    const cp6 = checkpointFor(lines, 6, logId);
    // Re-seal from event 3 on with a different message: links and signatures are all valid,
    // as if the signing key had leaked; only the checkpoint of size 6 can tell.
    const out: string[] = [];
    let prev: Buffer | undefined;
    for (let i = 0; i < 6; i++) {
      const d = i < 3 ? draft(i) : { ...draft(i), message: `forged ${i}` };
      const sealed = sealAuditEvent(d, prev, main.signer);
      out.push(sealed.line);
      prev = sealed.digest;
    }
    expect(out.slice(0, 3)).toEqual(lines.slice(0, 3));
    expect(verify(join(out)).ok).toBe(true);
    const r = verify(join(out), [cp2, cp6]);
    expect(r.break).toMatchObject({ index: 2, code: 'AUDIT_CHECKPOINT_INVALID' });
  });

  it('a checkpoint with a bad signature is AUDIT_CHECKPOINT_INVALID', () => {
    const logId = verify(join(lines)).logId as string;
    const cp = JSON.parse(checkpointFor(lines, 6, logId)) as Record<string, unknown>;
    const forged = JSON.stringify({ ...cp, tree_size: 5 }).replace(/\s/g, '');
    const sorted = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(forged) as object).sort()),
    );
    expect(verify(join(lines), [sorted]).break?.code).toBe('AUDIT_CHECKPOINT_INVALID');
  });

  it('skipping signature checks still verifies links, schema and checkpoints', () => {
    const r = verifyAuditLog({ log: join(lines), trustedKeys: trusted, verifySignatures: false });
    expect(r).toMatchObject({ ok: true, signaturesChecked: false });
  });
});
