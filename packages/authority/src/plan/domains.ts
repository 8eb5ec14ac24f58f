/**
 * Hash domains of the plan layer (CC-TS profile v1, spec §4.2.2–§4.2.5).
 *
 * Every value below is the `domain` argument of `H(domain, value)` = SHA-256(domain ‖ 0x00 ‖
 * JCS(value)). They are pinned by golden tests (test/plan/golden.test.ts): changing one silently
 * invalidates every stored artifact hash, plan-token and approval bound to it.
 */
import { HASH_DOMAINS } from '@clearance/protocol';

/** `meta_hash = H(ARTIFACT_META_DOMAIN, parsed artifact.json)`. */
export const ARTIFACT_META_DOMAIN = HASH_DOMAINS.ARTIFACT_META;

/** Artifact hash `H(ARTIFACT_DOMAIN, {name, role, meta_hash, body_hash, size})`. */
export const ARTIFACT_DOMAIN = HASH_DOMAINS.ARTIFACT;

/** `workspace_hash = H(WORKSPACE_DOMAIN, {exclude, entries})`. */
export const WORKSPACE_DOMAIN = HASH_DOMAINS.WORKSPACE;

/** `input_digest = H(INPUT_DOMAIN, {config?, context?, allowed_secrets?, expected_mode})`. */
export const INPUT_DOMAIN = HASH_DOMAINS.INPUT;

/** The composite `PlanToken.token = H(PLAN_TOKEN_DOMAIN, {...})`. */
export const PLAN_TOKEN_DOMAIN = HASH_DOMAINS.PLAN_TOKEN;

/** `plan_token_hash = H(PLAN_TOKEN_HASH_DOMAIN, stored PlanToken incl. created_at and token)`. */
export const PLAN_TOKEN_HASH_DOMAIN = HASH_DOMAINS.PLAN_TOKEN_HASH;

/** The stored artifact set is canonical JSON carrying this tag in its `domain` field. */
export const ARTIFACT_SET_DOMAIN = HASH_DOMAINS.ARTIFACT_SET;
