/**
 * The plan-token (spec §4.2.3, §4.2.4; PT-1..PT-13, ORCH-15, G-2..G-5, G-24, G-26).
 *
 * token = H('cabincrew.plan-token.v1', {version, workflow_id, step_id, engine_id, protocol_version,
 *   model, workspace_hash, input_digest, policy_digest?, governance_hash?,
 *   artifacts: [{name, hash, size}] sorted by name in byte order})
 *
 * `created_at` is not part of the token, so identical inputs give an identical token (PT-13, G-26);
 * it is part of plan_token_hash = H('cabincrew.plan-token-hash.v1', stored PlanToken). Unlike the
 * spec sketch, each composite artifact entry also carries `size`: it is already bound through the
 * artifact hash, and including it means every field of PlanToken.artifacts is bound directly too.
 * workflow_id and step_id sit inside the composite (the schema has no field for them, G-2), which
 * blocks replaying a token or an approval across workflows (S-9).
 */
import {
  assertSha256Hex,
  assertValid,
  ClearanceError,
  constantTimeEqual,
  H,
} from '@clearance/protocol';
import { isProfileTimestamp, validate } from '@clearance/protocol';
import type { JsonObject, PlanToken } from '@clearance/protocol';
import { isRecord } from '../narrow.js';
import { INPUT_DOMAIN, PLAN_TOKEN_DOMAIN, PLAN_TOKEN_HASH_DOMAIN } from './domains.js';
import { compareUtf8, isArtifactName, sortedBy } from './names.js';

/** `PlanToken.version` of the CC-TS v1 profile. */
export const PLAN_TOKEN_VERSION = '1';

/** One artifact's contribution: its name, artifact hash and size (a type alias: JSON data). */
export type PlanTokenArtifact = {
  readonly name: string;
  readonly hash: string;
  readonly size: number;
};

/** Everything the token binds. Hash-valued fields are lowercase hex SHA-256. */
export interface PlanTokenInputs {
  readonly workflow_id: string;
  readonly step_id: string;
  readonly engine_id: string;
  readonly protocol_version: string;
  /** §4.2.3a: gateway-observed models, else configured model, else "none" (G-24). */
  readonly model: string;
  /** Taken before flight-plan (§4.2.5). */
  readonly workspace_hash: string;
  /** {@link inputDigest} of the flight-plan EngineInput. */
  readonly input_digest: string;
  readonly policy_digest?: string;
  readonly governance_hash?: string;
  readonly artifacts: readonly PlanTokenArtifact[];
}

/** The inputs of {@link inputDigest}: exactly the non-secret, engine-visible parts. */
export interface DigestedInput {
  readonly config?: JsonObject;
  readonly context?: JsonObject;
  readonly allowed_secrets?: readonly string[];
}

/**
 * `input_digest = H('cabincrew.input.v1', {config?, context?, allowed_secrets?, expected_mode:
 * 'flight-plan'})`. Only these three fields are read, so passing a whole EngineInput cannot leak
 * `secrets` or `identity_token` into a hash (a digest of a secret is an offline guessing oracle).
 * Absent fields are left out, so an absent `config` and `{}` digest differently.
 */
export function inputDigest(input: DigestedInput): string {
  return H(INPUT_DOMAIN, {
    ...(input.config === undefined ? {} : { config: input.config }),
    ...(input.context === undefined ? {} : { context: input.context }),
    ...(input.allowed_secrets === undefined ? {} : { allowed_secrets: input.allowed_secrets }),
    expected_mode: 'flight-plan',
  });
}

/** Artifacts checked (names allowed and unique, hashes hex, sizes integers) and sorted by name. */
function sortedArtifacts(list: readonly PlanTokenArtifact[]): PlanTokenArtifact[] {
  const sorted = sortedBy(list, (a) => a.name).map(({ name, hash, size }) => {
    if (!isArtifactName(name)) tokenInputError('an artifact name is not allowed');
    assertSha256Hex(hash, `hash of artifact ${name}`);
    if (!Number.isSafeInteger(size) || size < 0) tokenInputError(`size of artifact ${name}`);
    return { name, hash, size };
  });
  sorted.forEach((a, i) => {
    if (i > 0 && sorted[i - 1]?.name === a.name) tokenInputError(`artifact ${a.name} listed twice`);
  });
  return sorted;
}

function tokenInputError(what: string): never {
  throw new ClearanceError('VALIDATION_FAILED', `plan-token input is invalid: ${what}`);
}

/** The composite object that is hashed; every field of {@link PlanTokenInputs}, picked by name. */
function composite(inputs: PlanTokenInputs): JsonObject {
  assertSha256Hex(inputs.workspace_hash, 'workspace_hash');
  assertSha256Hex(inputs.input_digest, 'input_digest');
  if (inputs.policy_digest !== undefined) assertSha256Hex(inputs.policy_digest, 'policy_digest');
  if (inputs.governance_hash !== undefined) {
    assertSha256Hex(inputs.governance_hash, 'governance_hash');
  }
  return {
    version: PLAN_TOKEN_VERSION,
    workflow_id: inputs.workflow_id,
    step_id: inputs.step_id,
    engine_id: inputs.engine_id,
    protocol_version: inputs.protocol_version,
    model: inputs.model,
    workspace_hash: inputs.workspace_hash,
    input_digest: inputs.input_digest,
    ...(inputs.policy_digest === undefined ? {} : { policy_digest: inputs.policy_digest }),
    ...(inputs.governance_hash === undefined ? {} : { governance_hash: inputs.governance_hash }),
    artifacts: sortedArtifacts(inputs.artifacts),
  };
}

/** `PlanToken.token`: independent of the order artifacts are listed in (PT-4, ORCH-15). */
export function computeToken(inputs: PlanTokenInputs): string {
  return H(PLAN_TOKEN_DOMAIN, composite(inputs));
}

/** The stored PlanToken (schema-valid, version "1", artifacts sorted). `createdAt`: RFC 3339 UTC ms. */
export function buildPlanToken(inputs: PlanTokenInputs, createdAt: string): PlanToken {
  if (!isProfileTimestamp(createdAt)) {
    throw new ClearanceError('PROFILE_INVALID', 'created_at is not RFC 3339 UTC with ms', {
      detail: { path: '/created_at' },
    });
  }
  const token: PlanToken = {
    token: computeToken(inputs),
    version: PLAN_TOKEN_VERSION,
    artifacts: sortedArtifacts(inputs.artifacts),
    model: inputs.model,
    engine_id: inputs.engine_id,
    protocol_version: inputs.protocol_version,
    workspace_hash: inputs.workspace_hash,
    created_at: createdAt,
    ...(inputs.policy_digest === undefined ? {} : { policy_digest: inputs.policy_digest }),
    ...(inputs.governance_hash === undefined ? {} : { governance_hash: inputs.governance_hash }),
  };
  assertValid('PlanToken', token);
  return token;
}

/** `plan_token_hash`: the value approvals, WAL and state records bind to (§4.2.3). */
export function planTokenHash(token: PlanToken): string {
  return H(PLAN_TOKEN_HASH_DOMAIN, token);
}

/** Outcome of a verification checkpoint (V1..V6); maps onto AuditIntegrity. */
export interface TokenCheck {
  /** True only when the token, every artifact, every stored field and plan_token_hash match. */
  readonly ok: boolean;
  /** The stored `PlanToken.token`. */
  readonly expected_token: string;
  /** The token recomputed from the current inputs. */
  readonly actual_token: string;
  /** `H(stored PlanToken) == storedHash`. */
  readonly plan_token_hash_ok: boolean;
  /** Artifact names added, removed or changed; sorted by bytes, deduplicated. */
  readonly differences: string[];
  /** Stored PlanToken fields (besides artifacts) that differ from the recomputed inputs. */
  readonly fields: string[];
}

const COMPARED_FIELDS = [
  'engine_id',
  'governance_hash',
  'model',
  'policy_digest',
  'protocol_version',
  'workspace_hash',
] as const;

/**
 * Verify a stored token against freshly recomputed inputs (§4.2.4). A stored token that is not a
 * schema-valid PlanToken fails with every recomputed artifact listed as different.
 */
export function checkPlanToken(
  stored: PlanToken,
  storedHash: string,
  recomputed: PlanTokenInputs,
): TokenCheck {
  const actual = computeToken(recomputed);
  if (!validate('PlanToken', stored).ok) {
    const names = recomputed.artifacts.map((a) => a.name);
    return failedCheck(stored, actual, names);
  }
  const hashOk = constantTimeEqual(planTokenHash(stored), storedHash);
  const differences = artifactDifferences(stored.artifacts, recomputed.artifacts);
  const fields: string[] = COMPARED_FIELDS.filter((f) => stored[f] !== recomputed[f]);
  if (stored.version !== PLAN_TOKEN_VERSION) fields.push('version');
  const tokenOk = constantTimeEqual(stored.token, actual);
  return {
    ok: hashOk && tokenOk && differences.length === 0 && fields.length === 0,
    expected_token: stored.token,
    actual_token: actual,
    plan_token_hash_ok: hashOk,
    differences,
    fields: fields.sort(compareUtf8),
  };
}

function failedCheck(stored: PlanToken, actual: string, names: readonly string[]): TokenCheck {
  return {
    ok: false,
    expected_token: isRecord(stored) && typeof stored.token === 'string' ? stored.token : '',
    actual_token: actual,
    plan_token_hash_ok: false,
    differences: [...new Set(names)].sort(compareUtf8),
    fields: [],
  };
}

/** Names present on one side only, listed twice, or with a different hash or size. */
function artifactDifferences(
  stored: readonly { readonly name: string; readonly hash: string; readonly size?: number }[],
  now: readonly PlanTokenArtifact[],
): string[] {
  const diff = new Set<string>();
  const index = (list: readonly { readonly name: string }[]): Map<string, number> => {
    const m = new Map<string, number>();
    list.forEach((a, i) => {
      if (m.has(a.name)) diff.add(a.name);
      m.set(a.name, i);
    });
    return m;
  };
  const before = index(stored);
  const after = index(now);
  for (const [name, i] of before) {
    const j = after.get(name);
    const s = stored[i];
    const n = j === undefined ? undefined : now[j];
    if (s === undefined || n === undefined || s.hash !== n.hash || s.size !== n.size)
      diff.add(name);
  }
  for (const name of after.keys()) if (!before.has(name)) diff.add(name);
  return [...diff].sort(compareUtf8);
}
