/**
 * The feasibility policy source (DESIGN "The flow", step 4; spec/rmos.md §3.2, §3.7): for a cnc
 * workflow it reads the job artifact from the policy input (built from the content-addressed
 * store), checks it against the request, computes feasibility itself and decides:
 *
 *   RED → deny (unless the deployment enables RED overrides and an acknowledged one exists);
 *   UNKNOWN / ERROR → deny; YELLOW → deny unless an override exists; GREEN → require_approval
 *   (manufacturing always needs the explicit approve call).
 *
 * Nothing the client sent can reach the decision: the job is recomputed from `config.job`, and the
 * edge has already stripped any `feasibility`/`safety`/`risk_level`… keys. Built in: the cnc
 * domain (cnc/domain.ts) gives it to every cnc plan (and every plan carrying cnc artifacts),
 * whatever the configuration.
 */
import {
  HASH_DOMAINS,
  DECISION_SEVERITY,
  H,
  type Decision,
  type JsonObject,
} from '@clearance/protocol';
import type {
  EvaluationContext,
  PolicyInput,
  PolicyResult,
  PolicySource,
} from '@clearance/governance';
import { FEASIBILITY_ENGINE_VERSION, type FeasibilityOutcome } from '@clearance/cnc';
import type { CncConfig } from '../config/index.js';
import {
  assessJob,
  assessmentHash,
  checkJobBody,
  CNC_ENGINE_ID,
  isJobProblem,
  onlyJobArtifact,
} from './job.js';
import type { OverrideLookup, OverrideRecord } from './overrides.js';

/** Name of the built-in source (policy ids are `cnc-feasibility/<rule>`). */
export const FEASIBILITY_SOURCE_NAME = 'cnc-feasibility';
/** Domain of the source's config digest. */
export const FEASIBILITY_SOURCE_DOMAIN = HASH_DOMAINS.CNC_FEASIBILITY_SOURCE;

/** The decision for one assessed job; pure. */
export interface FeasibilityVerdict {
  readonly rule: string;
  readonly decision: Decision;
  readonly reason: string;
  readonly override?: OverrideRecord;
}

/** Map an assessment (and the override found for it, if any) to a policy decision. */
export function feasibilityVerdict(
  outcome: FeasibilityOutcome,
  override: OverrideRecord | undefined,
  settings: Pick<CncConfig, 'allowRedOverride'>,
): FeasibilityVerdict {
  const risk = outcome.risk_level;
  const rules = outcome.rules_triggered.join(', ') || 'none';
  switch (risk) {
    case 'GREEN':
      return {
        rule: 'green',
        decision: 'require_approval',
        reason: 'feasibility GREEN: manufacturing needs an explicit approval',
      };
    case 'YELLOW':
      if (override?.scope === 'YELLOW') {
        return {
          rule: 'yellow-override',
          decision: 'require_approval',
          reason: `feasibility YELLOW (${rules}) unlocked by override ${override.run_id} of ${override.supervisor}; approval still required`,
          override,
        };
      }
      return {
        rule: 'yellow',
        decision: 'deny',
        reason: `feasibility YELLOW (${rules}): a supervisor override is required`,
      };
    case 'RED':
      if (override?.scope === 'RED' && override.acknowledged_risk && settings.allowRedOverride) {
        return {
          rule: 'red-override',
          decision: 'require_approval',
          reason: `feasibility RED (${rules}) unlocked by acknowledged override ${override.run_id} of ${override.supervisor}; approval still required`,
          override,
        };
      }
      return { rule: 'red', decision: 'deny', reason: `feasibility RED (${rules})` };
    case 'UNKNOWN':
    case 'ERROR':
      return {
        rule: risk.toLowerCase(),
        decision: 'deny',
        reason: `feasibility ${risk}: ${outcome.blocking_reasons.join('; ')}`.slice(0, 1000),
      };
  }
}

/** The built-in feasibility source of one deployment. */
export class CncFeasibilitySource implements PolicySource {
  readonly name = FEASIBILITY_SOURCE_NAME;
  readonly kind = 'custom';
  readonly digest: string;

  constructor(
    private readonly settings: CncConfig,
    private readonly overrides: OverrideLookup,
  ) {
    this.digest = H(FEASIBILITY_SOURCE_DOMAIN, {
      feasibility_engine: FEASIBILITY_ENGINE_VERSION,
      allow_red_override: settings.allowRedOverride,
      approval_role: settings.approvalRole,
    });
  }

  evaluate(input: PolicyInput, ctx: EvaluationContext): Promise<readonly PolicyResult[]> {
    return Promise.resolve().then(() => {
      ctx.signal.throwIfAborted();
      return [this.evaluateNow(input, ctx.now())];
    });
  }

  private evaluateNow(input: PolicyInput, at: string): PolicyResult {
    if (input.engine.id !== CNC_ENGINE_ID) {
      // Only the cnc engine may produce cnc artifacts: another engine cannot smuggle a job in.
      return this.result('foreign-job', 'deny', 'cnc artifacts from a non-cnc engine', at);
    }
    const found = onlyJobArtifact(input.artifacts);
    if (isJobProblem(found)) return this.result(found.rule, 'deny', found.reason, at);
    const config = input.request?.config;
    if (config === undefined) {
      return this.result('job-mismatch', 'deny', 'the request is not available', at);
    }
    const checked = checkJobBody(found.body_text, config);
    if (isJobProblem(checked)) return this.result(checked.rule, 'deny', checked.reason, at);
    const outcome = assessJob(checked.job);
    const fHash = assessmentHash(outcome);
    const verdict = feasibilityVerdict(
      outcome,
      this.overrides.find(checked.jobHash, fHash),
      this.settings,
    );
    return this.result(verdict.rule, verdict.decision, verdict.reason, at, {
      job_hash: checked.jobHash,
      feasibility_hash: fHash,
      risk_level: outcome.risk_level,
      rules_triggered: [...outcome.rules_triggered],
      ...(verdict.override === undefined ? {} : { override_run_id: verdict.override.run_id }),
    });
  }

  private result(
    rule: string,
    decision: Decision,
    reason: string,
    at: string,
    evidence?: JsonObject,
  ): PolicyResult {
    return {
      evaluation: {
        source: 'custom',
        policy_id: `${this.name}/${rule}`,
        decision,
        severity: DECISION_SEVERITY[decision],
        reason,
        ...(evidence === undefined ? {} : { evidence }),
        evaluated_at: at,
      },
      ...(decision === 'require_approval'
        ? { requires: { role: this.settings.approvalRole, reason } }
        : {}),
      ...(decision === 'deny' ? { violations: [reason] } : {}),
    };
  }
}
