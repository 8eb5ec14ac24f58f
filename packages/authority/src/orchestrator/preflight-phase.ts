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
import {
  runPreflight,
  type PolicyInput,
  type PolicySource,
  type PreflightOutcome,
} from '@clearance/governance';
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
import { governance } from './token-phase.js';
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

/**
 * Run preflight from TOKEN_CREATED (or re-run an interrupted one), step by step (§4.2.6):
 *
 *   1. V2: the plan-token still verifies on the store;
 *   2. the policy input is read from the store, never from the engine's folder;
 *   3. the sources: the configured ones, the built-in ones of the plan's domain(s), and the
 *      known-secret scan when the engine was given secrets;
 *   4. every source evaluates the same input (a failure is audited and counts as deny);
 *   5. one record per evaluation, and the most restrictive aggregate;
 *   6. deny → FAILED; require_approval → the demanded approvals, stored before they are asked
 *      for; allow / warn → the verify step.
 */
export async function preflightPhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  started = true,
): Promise<void> {
  if (!started) {
    await step(ctx, files, 'step_started', { step_id: ENGINE_STEP, step_type: 'preflight' });
  }
  if (!(await planStillVerifies(ctx, files))) return;
  const input = await readPolicyInput(ctx, files, request);
  if (input === undefined) return;
  const sources = await preflightSources(ctx, files, request, input);
  if (sources === undefined) return;
  const outcome = await evaluateSources(ctx, files, sources, input);
  const records = evaluationRecords(files, outcome);
  if (outcome.decision === 'deny') {
    await denyPlan(ctx, files, records, outcome);
    return;
  }
  const closing = [
    ...records,
    ...(await demandedApprovals(ctx, input, outcome)),
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

/** Step 1, V2: false (and the workflow FAILED) when the plan-token no longer verifies. */
async function planStillVerifies(ctx: OrchestratorContext, files: WorkflowFiles): Promise<boolean> {
  const v2 = await verifyPlan(ctx.home.cas, files.view, governance(ctx));
  if (v2.ok) return true;
  await failWorkflow(ctx, files, `V1/V2 (plan-token creation, preflight start): ${v2.reason}`, {
    severity: 'critical',
    integrity_check: { plan_token_match: false, differences: [...v2.differences] },
  });
  return false;
}

/** Step 2: the policy input from the store; undefined (and FAILED) when it is unreadable. */
async function readPolicyInput(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
): Promise<PolicyInput | undefined> {
  try {
    return await policyInput(ctx.home.cas, files.view, request);
  } catch (err) {
    // A stored record that no longer matches its address between V2 and here: fail closed.
    if (!hasCode(err, 'CAS_CORRUPT') && !hasCode(err, 'CAS_NOT_FOUND')) throw err;
    await failWorkflow(ctx, files, `preflight input unreadable: ${err.code}`, {
      severity: 'critical',
    });
    return undefined;
  }
}

/**
 * Step 3: every source that judges this plan; undefined (and FAILED) when a secret the engine
 * was given is no longer available to the scan.
 */
async function preflightSources(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  input: PolicyInput,
): Promise<PolicySource[] | undefined> {
  // Known-secret scan (ART-10, S-26): when the engine was given secrets, a plan whose artifacts
  // contain one of their values is denied like any other policy deny.
  const secrets = resolveSecrets(ctx.registry.get(request.engine.id), request);
  if (!secrets.ok) {
    await failWorkflow(ctx, files, `secret(s) ${secrets.missing.join(', ')} no longer available`);
    return undefined;
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
  // The built-in sources of the plan's domain (cnc: feasibility) and of every domain that claims
  // the plan: no configuration can leave them out.
  const builtIn = ctx.domains.sourcesFor(request.engine.id, input);
  return [...ctx.policySources, ...builtIn, ...scan];
}

/** Step 4: every source on the same input; a source that could not be evaluated is audited. */
async function evaluateSources(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  sources: readonly PolicySource[],
  input: PolicyInput,
): Promise<PreflightOutcome> {
  const outcome = await runPreflight(sources, input, {
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
  return outcome;
}

/** Step 5: one `policy_evaluated` entry per evaluation, then the aggregate's. */
function evaluationRecords(files: WorkflowFiles, outcome: PreflightOutcome): BatchItem[] {
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
  return [...evaluations, aggregate];
}

/** Step 6, deny: the evaluations are recorded, then the workflow fails. */
async function denyPlan(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  records: readonly BatchItem[],
  outcome: PreflightOutcome,
): Promise<void> {
  await steps(ctx, files, records);
  await failWorkflow(
    ctx,
    files,
    `preflight denied: ${outcome.violations.slice(0, 5).join('; ') || 'deny'}`,
    { severity: 'critical' },
  );
}

/**
 * Step 6, require_approval: what approvals the outcome demands, stored before the step closes, so
 * that a crash between here and the approval requests can issue exactly the missing ones.
 */
async function demandedApprovals(
  ctx: OrchestratorContext,
  input: PolicyInput,
  outcome: PreflightOutcome,
): Promise<BatchItem[]> {
  if (outcome.decision !== 'require_approval') return [];
  const demanded = await putObject(ctx.home.cas, {
    domain: OUTCOME_DOMAIN,
    decision: outcome.decision,
    approvals: outcome.approvals.map((a) => ({
      role: a.role,
      reasons: [...a.reasons],
      policy_ids: [...a.policy_ids],
    })),
    evidence: (input.preflight.evidence ?? []).map((e) => ({ ...e })),
    // APR-3: each approval request names who asked for the workflow.
    ...(input.proposer === undefined ? {} : { requested_by: input.proposer }),
  });
  return [
    item('artifact_created', {
      artifact_id: `${ENGINE_STEP}/preflight-outcome`,
      artifact_hash: demanded,
      artifact_type: OUTCOME_TYPE,
    }),
  ];
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
  // An outcome stored before APR-3 names no requester; its requests then name none either.
  const requestedBy = typeof outcome['requested_by'] === 'string' ? outcome['requested_by'] : '';
  for (const d of demands) {
    if (!isObject(d) || typeof d['role'] !== 'string' || requested.has(d['role'])) continue;
    const reasons = asList(d['reasons']).filter((r): r is string => typeof r === 'string');
    const policies = asList(d['policy_ids']).filter((r): r is string => typeof r === 'string');
    await requestApproval(ctx, files, d['role'], reasons, evidence.filter(isEvidence), {
      policies,
      requestedBy,
    });
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
  why: { policies: readonly string[]; requestedBy: string },
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
    // APR-3: the triggering policies and the requester, which ApprovalRequest has no field for.
    policies: [...why.policies],
    ...(why.requestedBy === '' ? {} : { requested_by: why.requestedBy }),
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
