import type { AuditEvent, CncJob, WorkflowSummary } from '@clearance/client';
import { describe, expect, it } from 'vitest';
import { diffLines, diffStats } from '../src/logic/diff.js';
import { safeFileName, utf8ToBase64 } from '../src/logic/format.js';
import { jobDrawing, MACHINE_ENVELOPES } from '../src/logic/geometry.js';
import { inboxItems, latestPolicy } from '../src/logic/inbox.js';
import { DEFAULT_FORM, jobFromForm, parsePoints } from '../src/logic/job-form.js';
import { parseRoute } from '../src/logic/route.js';

function wf(id: string, at: string, role: string, state = 'AWAITING_APPROVAL'): WorkflowSummary {
  return {
    workflow_id: id,
    state: state === 'AWAITING_APPROVAL' ? 'AWAITING_APPROVAL' : 'COMPLETED',
    engine: 'patch',
    workspace: 'ws',
    proposer: 'agent',
    pending_approvals: [
      {
        approval_id: `ap-${id}`,
        step_id: 'main',
        required_role: role,
        plan_token_hash: 'h',
        requested_at: at,
      },
    ],
  };
}

describe('approvals inbox', () => {
  const list = [
    wf('b', '2026-01-02T00:00:00Z', 'approver'),
    wf('a', '2026-01-01T00:00:00Z', 'approver'),
    wf('c', '2026-01-01T00:00:00Z', 'release-manager'),
    wf('d', '2026-01-01T00:00:00Z', 'approver', 'COMPLETED'),
  ];

  it('keeps requests my roles can answer, oldest first', () => {
    expect(inboxItems(list, ['approver']).map((i) => i.workflow.workflow_id)).toEqual(['a', 'b']);
  });

  it('shows nothing to agent or auditor-only users', () => {
    expect(inboxItems(list, ['agent', 'auditor'])).toEqual([]);
  });

  it('reads the latest policy decision with every reason', () => {
    const base = { timestamp: 't', workflow_state: 'PREFLIGHT_COMPLETE', event_id: 'e' };
    const events: AuditEvent[] = [
      {
        ...base,
        event_type: 'preflight_decision',
        policy: { decision: 'deny', workflow_state: 'x' },
      },
      {
        ...base,
        event_type: 'preflight_decision',
        policy: {
          decision: 'require_approval',
          workflow_state: 'x',
          policy_evaluations: [
            {
              source: 'custom',
              policy_id: 'cnc.feasibility',
              decision: 'require_approval',
              severity: 2,
              reason: 'GREEN needs a human',
              evaluated_at: 't',
            },
          ],
        },
      },
      { ...base, event_type: 'approval_requested' },
    ];
    const p = latestPolicy(events);
    expect(p?.decision).toBe('require_approval');
    expect(p?.policies).toEqual([
      { policyId: 'cnc.feasibility', decision: 'require_approval', reason: 'GREEN needs a human' },
    ]);
    expect(latestPolicy([])).toBeUndefined();
  });
});

describe('diff lines', () => {
  it('classifies file headers, hunks, additions and removals', () => {
    const { lines, truncated } = diffLines(
      '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+<script>new</script>\n ctx\n',
    );
    expect(lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'del', 'add', 'context']);
    expect(lines[4]?.text).toBe('+<script>new</script>');
    expect(diffStats(lines)).toEqual({ added: 1, removed: 1 });
    expect(truncated).toBe(false);
  });
});

const job: CncJob = {
  units: 'inch',
  machine: 'grbl-desktop',
  tool: { type: 'flat', diameter: 0.25, flutes: 2, flute_length: 1, stickout: 1 },
  material: { id: 'maple', hardness: 'medium', thickness: 0.5, resinous: false },
  cutting: {
    stepover: 0.4,
    stepdown: 0.04,
    final_depth: 0.1,
    feed_xy: 40,
    feed_z: 10,
    rpm: 16000,
    safe_z: 0.2,
    climb: true,
  },
  operations: [
    { kind: 'circular_pocket', cx: 2, cy: 3, radius: 1 },
    { kind: 'drill', points: [{ x: 1, y: 1 }] },
    { kind: 'dxf', dxf: '0\nEOF', as: 'pocket' },
  ],
};

describe('job geometry drawing', () => {
  it('draws the machine envelope and converts inches to millimetres with +Y up', () => {
    const d = jobDrawing(job);
    expect(d.shapes[0]).toEqual({
      kind: 'rect',
      role: 'envelope',
      x: 0,
      y: -400,
      width: 400,
      height: 400,
      rx: 0,
    });
    expect(d.shapes[1]).toMatchObject({
      kind: 'circle',
      role: 'cut',
      cx: 50.8,
      cy: expect.closeTo(-76.2, 6),
      r: 25.4,
    });
    expect(d.shapes[2]).toMatchObject({ kind: 'circle', role: 'hole', cx: 25.4, cy: -25.4 });
    expect(d.undrawn).toBe(1);
    expect(d.envelopeKnown).toBe(true);
  });

  it('uses the envelopes of machines.ts', () => {
    expect(MACHINE_ENVELOPES['fanuc-mill']).toEqual({ x: [-300, 300], y: [-200, 200] });
    expect(jobDrawing({ ...job, machine: 'unknown-mill' }).envelopeKnown).toBe(false);
  });
});

describe('job form', () => {
  it('turns the default form into a job', () => {
    const built = jobFromForm(DEFAULT_FORM);
    expect('job' in built && built.job.operations).toEqual([
      { kind: 'circular_pocket', cx: 150, cy: 150, radius: 20 },
    ]);
  });

  it('lists the fields to fix instead of sending a broken job', () => {
    const built = jobFromForm({
      ...DEFAULT_FORM,
      tool: { ...DEFAULT_FORM.tool, diameter: 'abc' },
      operations: [{ kind: 'profile', points: '1,2; x', side: 'outside' }],
    });
    expect('problems' in built && built.problems).toEqual([
      'Operation 1: points as x,y; x,y; …',
      'Tool diameter: enter a number',
    ]);
  });

  it('parses points', () => {
    expect(parsePoints('1,2; 3 4\n5,6')).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
      { x: 5, y: 6 },
    ]);
    expect(parsePoints('1,2,3')).toBeUndefined();
  });
});

describe('routing and formatting', () => {
  it('parses hash routes', () => {
    expect(parseRoute('#/workflows/wf%2F1')).toEqual({ page: 'workflow', id: 'wf/1' });
    expect(parseRoute('#/audit')).toEqual({ page: 'audit' });
    expect(parseRoute('#/nope')).toEqual({ page: 'approvals' });
  });

  it('makes download names safe and encodes SVG as base64', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeFileName('', 'fallback.nc')).toBe('fallback.nc');
    expect(Buffer.from(utf8ToBase64('<svg>é</svg>'), 'base64').toString('utf8')).toBe(
      '<svg>é</svg>',
    );
  });
});
