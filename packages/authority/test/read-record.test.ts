import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalBytes,
  canonicalize,
  HASH_DOMAINS,
  parseJsonStrict,
  type JsonObject,
} from '@clearance/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecord } from '../src/cas/read-record.js';
import { FileContentStore } from '../src/cas/file-store.js';
import type { ContentStore } from '../src/cas/store.js';
import { getObject, type ObjectDomain } from '../src/orchestrator/objects.js';
import {
  getPlanRecord,
  getRequest,
  putPlanRecord,
  putRequest,
} from '../src/orchestrator/records.js';
import { loadPlanToken } from '../src/orchestrator/verify.js';
import { buildPlanToken } from '../src/plan/plan-token.js';
import { loadArtifactSet } from '../src/plan/store.js';
import { RunArtifactStore } from '../src/runs/run-artifacts.js';

const hex = (c: string): string => c.repeat(64);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'RESOLVED';
}

let cas: ContentStore;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-read-record-'));
  cas = await FileContentStore.open(join(dir, 'cas'));
});

async function putJson(value: unknown): Promise<string> {
  return (await cas.put(canonicalBytes(value))).address;
}

async function valueAt(address: string): Promise<JsonObject> {
  return parseJsonStrict(await cas.get(address)) as JsonObject;
}

/** The ways a stored record can differ from what its writer wrote. */
const TAMPERINGS: [string, (good: JsonObject) => Promise<string>][] = [
  ['an unknown key', (g) => putJson({ ...g, extra: 1 })],
  ['a foreign domain tag', (g) => putJson({ ...g, domain: HASH_DOMAINS.WAL_KEY_CREATED })],
  ['a missing member', (g) => putJson(Object.fromEntries(Object.entries(g).slice(1)))],
  ['a member of the wrong type', (g) => putJson({ ...g, created_at: 7, workflow_id: 7 })],
  [
    'non-canonical bytes',
    async (g) => (await cas.put(Buffer.from(JSON.stringify(g, null, 2)))).address,
  ],
  ['bytes that are not JSON', async () => (await cas.put(Buffer.from('{"a":'))).address],
  [
    'a duplicate key',
    async (g) => {
      const text = canonicalize(g);
      return (await cas.put(Buffer.from(`{"domain":"x",${text.slice(1)}`))).address;
    },
  ],
  ['an array instead of an object', (g) => putJson([g])],
];

interface Reader {
  readonly name: string;
  readonly code: string;
  readonly good: () => Promise<string>;
  readonly read: (address: string) => Promise<unknown>;
}

const READERS: Reader[] = [
  {
    name: 'getRequest (workflow request)',
    code: 'CAS_CORRUPT',
    good: () =>
      putRequest(cas, {
        workflow_id: 'wf-1',
        engine: { id: 'e', version: '1', sha256: hex('a') },
        workspace: 'demo',
        config: {},
        context: {},
        allowed_secrets: [],
        proposer: 'alice',
        stripped: [],
        created_at: '2026-01-01T00:00:00.000Z',
      }),
    read: (a) => getRequest(cas, a),
  },
  {
    name: 'getPlanRecord (plan record)',
    code: 'CAS_CORRUPT',
    good: () =>
      putPlanRecord(cas, {
        receipt: hex('c'),
        plan_token: hex('d'),
        artifact_set: hex('e'),
        governance_hash: hex('f'),
        policy_digest: hex('9'),
        input_digest: hex('8'),
        workspace_hash: hex('7'),
        model: 'm-1',
        protocol_version: '0.2.0',
        engine_id: 'rr-engine',
        run_index: 3,
      }),
    read: (a) => getPlanRecord(cas, a),
  },
  {
    name: 'loadPlanToken (stored PlanToken)',
    code: 'CAS_CORRUPT',
    good: () =>
      putJson(
        buildPlanToken(
          {
            artifacts: [{ name: 'only', hash: hex('b'), size: 11 }],
            input_digest: hex('a'),
            workspace_hash: hex('9'),
            model: 'm-1',
            protocol_version: '0.2.0',
            engine_id: 'rr-engine',
            step_id: 'plan',
            workflow_id: 'wf-rr',
          },
          '2026-01-01T00:00:00.000Z',
        ),
      ),
    read: (a) => loadPlanToken(cas, a),
  },
  {
    name: 'loadArtifactSet (artifact set, pinned ARTIFACT_INVALID)',
    code: 'ARTIFACT_INVALID',
    good: () => putJson({ domain: HASH_DOMAINS.ARTIFACT_SET, artifacts: [] }),
    read: (a) => loadArtifactSet(cas, a),
  },
];

describe('I11-3: one readRecord for typed records read back from the store', () => {
  for (const reader of READERS) {
    it(`I11-3: ${reader.name} reads back what was written`, async () => {
      await expect(reader.read(await reader.good())).resolves.toBeDefined();
    });

    it.each(TAMPERINGS)(
      `I11-3: ${reader.name} refuses a record with %s with its code`,
      async (label, tamper) => {
        const good = await valueAt(await reader.good());
        // A PlanToken has no domain member: a foreign tag is an unknown key there.
        const address = await tamper(good);
        expect({ label, code: await codeOf(reader.read(address)) }).toEqual({
          label,
          code: reader.code,
        });
      },
    );
  }

  // getObject leaves member types to its callers; everything else is refused as above.
  const OBJECTS: [ObjectDomain, JsonObject][] = [
    [HASH_DOMAINS.ENGINE_RECEIPT, { receipt: {} }],
    [HASH_DOMAINS.PREFLIGHT_OUTCOME, { decision: 'allow', approvals: [], evidence: [] }],
    [
      HASH_DOMAINS.CNC_RELEASE_INTENT,
      { workflow_id: 'wf-1', spool_file: 'a.nc', gcode_sha256: hex('a') },
    ],
    [
      HASH_DOMAINS.CNC_RELEASE,
      {
        job_hash: hex('1'),
        feasibility_hash: hex('2'),
        risk_level: 'GREEN',
        machine: 'm',
        dialect: 'grbl',
        gcode: { address: hex('3'), file: 'a.nc', lines: 3 },
        toolpaths: hex('4'),
        preview: hex('5'),
        spool_path: '/spool/a.nc',
        versions: {},
      },
    ],
  ];
  for (const [domain, members] of OBJECTS) {
    it(`I11-3: getObject(${domain}) reads its record and refuses tampered copies`, async () => {
      const good = { domain, ...members };
      await expect(getObject(cas, await putJson(good), domain)).resolves.toEqual(good);
      for (const [label, tamper] of TAMPERINGS) {
        if (label === 'a member of the wrong type') continue;
        const code = await codeOf(getObject(cas, await tamper(good), domain));
        expect({ label, code }).toEqual({ label, code: 'CAS_CORRUPT' });
      }
    });
  }

  it('I11-3: a missing blob stays CAS_NOT_FOUND; a bad record carries detail.pointer', async () => {
    expect(await codeOf(getRequest(cas, hex('0')))).toBe('CAS_NOT_FOUND');
    const address = await putJson({ domain: HASH_DOMAINS.PLAN_RECORD, extra: 1 });
    await expect(
      readRecord(cas, address, HASH_DOMAINS.PLAN_RECORD, (_r, fail) =>
        fail('/extra', 'unknown key'),
      ),
    ).rejects.toMatchObject({ code: 'CAS_CORRUPT', detail: { pointer: '/extra' } });
  });
});

describe('I11-3: run artifacts are read through readRecord', () => {
  async function storeWith(address: string, runId: string): Promise<RunArtifactStore> {
    const runs = join(dir, `runs-${runId}-${address.slice(0, 8)}`);
    await mkdir(runs, { recursive: true });
    const line = canonicalize({
      run_id: runId,
      address,
      kind: 'approval',
      status: 'OK',
      workflow_id: 'wf-1',
      created_at: '2026-01-01T00:00:00.000Z',
    });
    await writeFile(join(runs, 'index.jsonl'), `${line}\n`);
    return RunArtifactStore.open(cas, runs);
  }

  it('I11-3: a written run artifact reads back; tampered copies are CAS_CORRUPT', async () => {
    const runs = await RunArtifactStore.open(cas, join(dir, 'runs-good'));
    const { artifact, address } = await runs.record(
      {
        kind: 'approval',
        status: 'OK',
        workflow_id: 'wf-1',
        actor: 'bob',
        reason: 'approved',
        request: {},
        versions: {},
      },
      { createdAt: '2026-01-01T00:00:00.000Z' },
    );
    await expect(runs.get(artifact.run_id)).resolves.toEqual(artifact);
    await runs.close();
    const good = await valueAt(address);
    for (const [label, tamper] of TAMPERINGS) {
      const bad = await storeWith(await tamper(good), artifact.run_id);
      expect({ label, code: await codeOf(bad.get(artifact.run_id)) }).toEqual({
        label,
        code: 'CAS_CORRUPT',
      });
      await bad.close();
    }
  });
});
