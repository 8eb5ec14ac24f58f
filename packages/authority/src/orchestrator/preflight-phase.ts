/**
 * Preflight (§2.6, §4.2.6) and what follows it: V2, every configured policy source on the same
 * input, one `policy_evaluated` entry per evaluation plus the aggregate, then deny → FAILED,
 * require_approval → one ApprovalRequest per distinct role (persisted before it is published),
 * allow/warn → the verify step (→ READY_FOR_TAKEOFF).
 */
import {
  assertValid,
  H,
  hasCode,
  type ApprovalRequest,
  type JsonArray,
  type JsonValue,
  HASH_DOMAINS,
} from '@clearance/protocol';
import { runPreflight, type PolicyInput } from '@clearance/governance';
import { CNC_ENGINE_ID } from '../cnc/job.js';
import { AGGREGATE_POLICY, ENGINE_STEP } from '../workflow/reducer.js';
import {
  failWorkflow,
  item,
  note,
  now,
  step,
  steps,
  type BatchItem,
  type OrchestratorContext,
} from './context.js';
import { getObject, isObject, putObject, requireObject } from './objects.js';
import { governance } from './plan-phase.js';
import { policyInput } from './policy-input.js';
import {
  APPROVAL_REQUEST_TYPE,
  PLAN_RECORD_TYPE,
  REQUEST_TYPE,
  type WorkflowRequest,
} from './records.js';
import { knownSecretSource, resolveSecrets } from './secrets.js';
import { planRecords, verifyPlan } from './verify.js';
import type { WorkflowFiles } from './workflow-files.js';

export const OUTCOME_TYPE = 'clearance.preflight-outcome';
const OUTCOME_DOMAIN = HASH_DOMAINS.PREFLIGHT_OUTCOME;

/** Run preflight from TOKEN_CREATED (or re-run an interrupted one). */
export async function preflightPhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  started = true,
): Promise<void> {
  if (!started) {
    await step(ctx, files, 'step_started', { step_id: ENGINE_STEP, step_type: 'preflight' });
  }
  const g = governance(ctx);
  const v2 = await verifyPlan(ctx.home.cas, files.view, g);
  if (!v2.ok) {
    await failWorkflow(ctx, files, `V1/V2 (plan-token creation, preflight start): ${v2.reason}`, {
      severity: 'critical',
      integrity_check: { plan_token_match: false, differences: [...v2.differences] },
    });
    return;
  }
  let input: PolicyInput;
  try {
    input = await policyInput(ctx.home.cas, files.view, request);
  } catch (err) {
    // A stored record that no longer matches its address between V2 and here: fail closed.
    if (!hasCode(err, 'CAS_CORRUPT') && !hasCode(err, 'CAS_NOT_FOUND')) throw err;
    await failWorkflow(ctx, files, `preflight input unreadable: ${err.code}`, {
      severity: 'critical',
    });
    return;
  }
  // Known-secret scan (ART-10, S-26): when the engine was given secrets, a plan whose artifacts
  // contain one of their values is denied like any other policy deny.
  const secrets = resolveSecrets(ctx.registry.get(request.engine.id), request);
  if (!secrets.ok) {
    await failWorkflow(ctx, files, `secret(s) ${secrets.missing.join(', ')} no longer available`);
    return;
  }
  const scan =
    Object.keys(secrets.values).length === 0
      ? []
      : [
          await knownSecretSource(
            ctx.home.cas,
            (
              await planRecords(
                ctx.home.cas,
                requireObject(files.view, PLAN_RECORD_TYPE),
                requireObject(files.view, REQUEST_TYPE),
              )
            ).set,
            secrets.values,
          ),
        ];
  // The cnc feasibility source judges every cnc plan, and any plan that carries cnc artifacts.
  const cnc =
    request.engine.id === CNC_ENGINE_ID ||
    input.artifacts.some((a) => a.artifact_type.startsWith('cnc.'))
      ? [ctx.feasibility]
      : [];
  const outcome = await runPreflight([...ctx.policySources, ...cnc, ...scan], input, {
    now: () => now(ctx),
    timeoutMs: ctx.config.policy.timeoutMs,
  });
  for (const f of outcome.failures) {
    await note(ctx, files.view, {
      event_type: 'preflight_failure',
      severity: 'error',
      message: `policy source ${f.source} could not be evaluated: ${f.error}`,
    });
  }
  const evaluations = outcome.results.map((r, i) =>
    item(
      'policy_evaluated',
      {
        evaluation_id: evaluationId(files.id, files.view.runs, i),
        policy_name: r.evaluation.policy_id,
        decision: r.evaluation.decision,
      },
      {
        policy: {
          decision: r.evaluation.decision,
          policy_evaluations: [r.evaluation],
          workflow_state: 'PRE_FLIGHT_RUNNING',
          ...(r.violations === undefined ? {} : { violations: r.violations }),
          ...(r.warnings === undefined ? {} : { warnings: r.warnings }),
        },
        message: `${r.evaluation.policy_id}: ${r.evaluation.decision}${r.evaluation.reason === undefined ? '' : ` — ${r.evaluation.reason}`}`,
      },
    ),
  );
  const severity =
    outcome.decision === 'deny' ? 'critical' : outcome.decision === 'warn' ? 'warning' : 'info';
  const aggregate = item(
    'policy_evaluated',
    {
      evaluation_id: evaluationId(files.id, files.view.runs, outcome.results.length),
      policy_name: AGGREGATE_POLICY,
      decision: outcome.decision,
    },
    {
      severity,
      policy: {
        decision: outcome.decision,
        policy_evaluations: outcome.results.map((r) => r.evaluation),
        aggregation_method: 'most_restrictive',
        workflow_state: 'PRE_FLIGHT_RUNNING',
        violations: outcome.violations,
        warnings: outcome.warnings,
      },
      message: `preflight decision ${outcome.decision} (most_restrictive over ${outcome.results.length} evaluations)`,
    },
  );
  if (outcome.decision === 'deny') {
    await steps(ctx, files, [...evaluations, aggregate]);
    await failWorkflow(
      ctx,
      files,
      `preflight denied: ${outcome.violations.slice(0, 5).join('; ') || 'deny'}`,
      { severity: 'critical' },
    );
    return;
  }
  // What approvals the outcome demands, stored before the step closes, so that a crash between
  // here and the approval requests can issue exactly the missing ones.
  const demanded =
    outcome.decision === 'require_approval'
      ? await putObject(ctx.home.cas, {
          domain: OUTCOME_DOMAIN,
          decision: outcome.decision,
          approvals: outcome.approvals.map((a) => ({ role: a.role, reasons: [...a.reasons] })),
          evidence: (input.preflight.evidence ?? []).map((e) => ({ ...e })),
        })
      : undefined;
  const closing = [
    ...evaluations,
    aggregate,
    ...(demanded === undefined
      ? []
      : [
          item('artifact_created', {
            artifact_id: `${ENGINE_STEP}/preflight-outcome`,
            artifact_hash: demanded,
            artifact_type: OUTCOME_TYPE,
          }),
        ]),
    item('step_completed', { step_id: ENGINE_STEP }),
  ];
  if (outcome.decision === 'require_approval') {
    await steps(ctx, files, closing);
    await continueAfterPreflight(ctx, files);
    return;
  }
  // allow / warn: the verify step's check is side-effect free, so it runs first and its record
  // joins the preflight record in one write.
  await verifyPhase(ctx, files, closing);
}

/** PREFLIGHT_COMPLETE (or a partly requested AWAITING_APPROVAL) → approvals or verify. */
export async function continueAfterPreflight(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<void> {
  if (files.view.lastDecision !== 'require_approval') {
    await verifyPhase(ctx, files);
    return;
  }
  const outcome = await getObject(
    ctx.home.cas,
    requireObject(files.view, OUTCOME_TYPE),
    OUTCOME_DOMAIN,
  );
  const demands = asList(outcome['approvals']);
  const evidence = asList(outcome['evidence']);
  const requested = new Set(
    files.view.pending
      .filter((p) => p.plan_token_hash === files.view.planTokenHash)
      .map((p) => p.required_role),
  );
  for (const d of demands) {
    if (!isObject(d) || typeof d['role'] !== 'string' || requested.has(d['role'])) continue;
    const reasons = asList(d['reasons']).filter((r): r is string => typeof r === 'string');
    await requestApproval(ctx, files, d['role'], reasons, evidence.filter(isEvidence));
  }
}

function asList(v: JsonValue | undefined): readonly JsonValue[] {
  return isList(v) ? v : [];
}

function isList(v: JsonValue | undefined): v is JsonArray {
  return Array.isArray(v);
}

function isEvidence(v: JsonValue): v is { name: string; path: string; hash: string } {
  return (
    isObject(v) &&
    typeof v['name'] === 'string' &&
    typeof v['path'] === 'string' &&
    typeof v['hash'] === 'string'
  );
}

/** The verify step (V4 on the store) that leads to READY_FOR_TAKEOFF. */
export async function verifyPhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  before: readonly BatchItem[] = [],
): Promise<void> {
  // The check is side-effect free: its start and outcome are recorded together (one fsync); a
  // crash before that leaves the previous state, from which recovery simply verifies again.
  const v = await verifyPlan(ctx.home.cas, files.view, governance(ctx));
  const start = item('step_started', { step_id: ENGINE_STEP, step_type: 'verify' });
  if (!v.ok) {
    await steps(ctx, files, [...before, start]);
    await failWorkflow(ctx, files, `V4 (before take-off): ${v.reason}`, {
      severity: 'critical',
      integrity_check: { plan_token_match: false, differences: [...v.differences] },
    });
    return;
  }
  await steps(ctx, files, [
    ...before,
    start,
    item(
      'step_completed',
      { step_id: ENGINE_STEP },
      { integrity_check: { plan_token_match: true, artifacts_match: true } },
    ),
  ]);
}

async function requestApproval(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  role: string,
  reasons: readonly string[],
  evidence: readonly { name: string; path: string; hash: string }[],
): Promise<void> {
  const approvalId = ctx.home.ids.uuid();
  const request: ApprovalRequest = {
    approval_id: approvalId,
    workflow_id: files.id,
    step_id: ENGINE_STEP,
    reason: reasons.join('; ').slice(0, 2000) || 'approval required by policy',
    required_role: role,
    plan_token_hash: files.view.planTokenHash,
    ...(evidence.length === 0 ? {} : { evidence: evidence.map((e) => ({ ...e })) }),
  };
  assertValid('ApprovalRequest', request);
  const address = await putObject(ctx.home.cas, {
    domain: HASH_DOMAINS.APPROVAL_REQUEST,
    request,
    requested_at: now(ctx),
  });
  // Persisted (WAL, fsync) before it is published (G-8: no fake AuditApproval on a request).
  await steps(ctx, files, [
    item('artifact_created', {
      artifact_id: `${ENGINE_STEP}/approval/${approvalId}`,
      artifact_hash: address,
      artifact_type: APPROVAL_REQUEST_TYPE,
    }),
    item(
      'approval_requested',
      { approval_id: approvalId, step_id: ENGINE_STEP, required_role: role },
      { message: `approval ${approvalId} requires role ${role}: ${request.reason}` },
    ),
  ]);
}

/** Deterministic evaluation ids, so a preflight re-run writes equal records (WAL-10). */
function evaluationId(workflowId: string, run: number, index: number): string {
  return `eval-${H(HASH_DOMAINS.EVALUATION_ID, { workflow_id: workflowId, run, index }).slice(0, 32)}`;
}
