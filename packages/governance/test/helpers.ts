/** Shared fixtures for the governance tests: a fixed clock, inputs, artifacts and evaluations. */
import { DECISION_SEVERITY, type Decision, type PolicySource as Kind } from '@clearance/protocol';
import type {
  PolicyArtifact,
  PolicyInput,
  PolicyResult,
  PolicySource,
  EvaluationContext,
} from '../src/index.js';

export const T0 = '2026-11-23T10:00:00.000Z';
export const DECISIONS: readonly Decision[] = ['allow', 'warn', 'require_approval', 'deny'];
export const DIGEST = 'a'.repeat(64);

/** A clock that always reads T0. */
export const now = (): string => T0;

/** A context with a fresh, never-aborted signal. */
export function ctx(): EvaluationContext {
  return { now, signal: new AbortController().signal };
}

/** An artifact with defaults; override anything. */
export function artifact(overrides: Partial<PolicyArtifact> = {}): PolicyArtifact {
  return {
    name: 'change',
    role: 'evidence',
    artifact_type: 'file_change',
    action: 'modify',
    mime: 'text/x-diff',
    metadata: {},
    hash: 'b'.repeat(64),
    size: 100,
    body_size: 60,
    paths: ['src/index.ts'],
    ...overrides,
  };
}

/** A policy input for engine `engine` with the given artifacts. */
export function input(
  artifacts: readonly PolicyArtifact[] = [artifact()],
  engine = 'patch',
): PolicyInput {
  return {
    preflight: {
      workflow_id: 'wf-1',
      step_id: 'step-1',
      mode: 'flight-plan',
      engine_output: { engine_id: engine },
    },
    engine: { id: engine, version: '1.0.0' },
    artifacts,
    proposer: 'alice',
  };
}

/** A well-formed result with the matching severity (and a role when require_approval). */
export function result(
  decision: Decision,
  policy_id = `p/${decision}`,
  role = 'approver',
  source: Kind = 'custom',
): PolicyResult {
  return {
    evaluation: {
      source,
      policy_id,
      decision,
      severity: DECISION_SEVERITY[decision],
      reason: `${decision} because`,
      evaluated_at: T0,
    },
    ...(decision === 'require_approval' ? { requires: { role } } : {}),
  };
}

/** A source that runs `evaluate` and has a valid name, kind and digest. */
export function source(
  name: string,
  evaluate: (input: PolicyInput, ctx: EvaluationContext) => Promise<readonly PolicyResult[]>,
  kind: Kind = 'custom',
): PolicySource {
  return { name, kind, digest: DIGEST, evaluate };
}

/** A source returning `value` as-is (typed loosely on purpose: sources are untrusted). */
export function returning(name: string, value: unknown, kind: Kind = 'custom'): PolicySource {
  return source(name, () => Promise.resolve(value as readonly PolicyResult[]), kind);
}

/** The error code thrown by `fn`, or undefined. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

/** The `detail.pointer` of the error thrown by `fn`, or undefined. */
export function pathOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { detail?: { pointer?: unknown } }).detail?.pointer;
  }
  return undefined;
}
