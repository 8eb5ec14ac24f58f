/**
 * The declarative rules config: authority-bearing, so it is parsed strictly. Unknown keys anywhere,
 * a missing default (there is no implicit allow), a require_approval without a role, an empty
 * list, a pattern that could never match as written: each is POLICY_CONFIG_INVALID with the JSON
 * pointer of the offending value in `detail.pointer`.
 */
import {
  ClearanceError,
  DECISIONS,
  failWith,
  jsonPointer,
  refuseUnknownKeys,
  type Decision,
  type FailAt,
  type JsonObject,
  type JsonValue,
} from '@clearance/protocol';
import { globProblem } from '../glob.js';
import { NAME_RE, ROLE_RE } from '../names.js';
import { isJsonArray, isJsonObject, memberOf, own, snapshot } from '../narrow.js';
import { ARTIFACT_ROLES, type ArtifactRole } from '../types.js';

/** Conditions of one rule: all present conditions must hold (AND); each list is an OR. */
export interface RuleMatch {
  readonly engine?: readonly string[];
  readonly artifact_type?: readonly string[];
  readonly action?: readonly string[];
  readonly role?: readonly ArtifactRole[];
  readonly mime?: readonly string[];
  /** Globs on `artifact.target`. */
  readonly target?: readonly string[];
  /** Globs on any of `artifact.paths`. */
  readonly path?: readonly string[];
  readonly size_gt?: number;
  readonly size_lte?: number;
  /** `[key, accepted string values]`, in config order: string equality on `metadata[key]`. */
  readonly metadata?: readonly (readonly [string, readonly string[]])[];
}

/** One rule. `role` is present exactly when the decision is require_approval. */
export interface Rule {
  readonly id: string;
  readonly description?: string;
  readonly match: RuleMatch;
  readonly decision: Decision;
  readonly reason: string;
  readonly role?: string;
}

/** A parsed rules config. */
export interface RulesConfig {
  readonly default: Decision;
  readonly default_role?: string;
  readonly rules: readonly Rule[];
}

/** A parsed config together with the plain-JSON snapshot it was parsed from (what gets hashed). */
export interface ParsedRulesConfig {
  readonly config: RulesConfig;
  readonly canonical: JsonValue;
}

const TOP_KEYS = ['default', 'default_role', 'rules'];
const RULE_KEYS = ['id', 'description', 'match', 'decision', 'reason', 'role'];
const STRING_LISTS = ['engine', 'artifact_type', 'action', 'mime'] as const;
const GLOB_LISTS = ['target', 'path'] as const;
const MATCH_KEYS: readonly string[] = [
  ...STRING_LISTS,
  ...GLOB_LISTS,
  'role',
  'size_gt',
  'size_lte',
  'metadata',
];

// Annotated so that calls narrow like a `never` function.
const fail: FailAt = failWith('POLICY_CONFIG_INVALID', 'rules config');

function rejectUnknownKeys(object: JsonObject, allowed: readonly string[], path: string): void {
  refuseUnknownKeys(object, allowed, path, fail);
}

/** Parse and validate a rules config; throws POLICY_CONFIG_INVALID with `detail.pointer`. */
export function parseRulesConfig(value: unknown): ParsedRulesConfig {
  let canonical: JsonValue;
  try {
    canonical = snapshot(value);
  } catch (cause) {
    throw new ClearanceError('POLICY_CONFIG_INVALID', 'rules config is not plain JSON data', {
      cause,
      detail: { pointer: '' },
    });
  }
  if (!isJsonObject(canonical)) fail('', 'must be an object');
  rejectUnknownKeys(canonical, TOP_KEYS, '');
  const fallback = decisionAt(canonical, 'default', '');
  const defaultRole = roleFor(fallback, own(canonical, 'default_role'), '/default_role');
  const rulesValue = own(canonical, 'rules');
  if (rulesValue !== undefined && !isJsonArray(rulesValue)) fail('/rules', 'must be a list');
  const rules = (rulesValue ?? []).map((rule, i) => parseRule(rule, `/rules/${i}`));
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id)) fail(`/rules/${i}/id`, `duplicate rule id ${rule.id}`);
    seen.add(rule.id);
  });
  const config: RulesConfig = {
    default: fallback,
    ...(defaultRole === undefined ? {} : { default_role: defaultRole }),
    rules,
  };
  return { config, canonical };
}

function parseRule(value: JsonValue, path: string): Rule {
  if (!isJsonObject(value)) fail(path, 'must be an object');
  rejectUnknownKeys(value, RULE_KEYS, path);
  const id = own(value, 'id');
  if (typeof id !== 'string' || !NAME_RE.test(id)) {
    fail(`${path}/id`, 'must match ^[a-z0-9][a-z0-9._-]{0,63}$');
  }
  // `default` and `failure` name the results the source and preflight synthesize themselves.
  if (id === 'default' || id === 'failure') fail(`${path}/id`, `rule id ${id} is reserved`);
  const description = own(value, 'description');
  if (description !== undefined && typeof description !== 'string') {
    fail(`${path}/description`, 'must be a string');
  }
  const decision = decisionAt(value, 'decision', path);
  const reason = own(value, 'reason');
  if (typeof reason !== 'string' || reason.trim() === '') {
    fail(`${path}/reason`, 'is required (a non-empty string)');
  }
  const role = roleFor(decision, own(value, 'role'), `${path}/role`);
  return {
    id,
    ...(description === undefined ? {} : { description }),
    match: parseMatch(own(value, 'match'), `${path}/match`),
    decision,
    reason,
    ...(role === undefined ? {} : { role }),
  };
}

function decisionAt(object: JsonObject, key: string, path: string): Decision {
  const decision = memberOf(DECISIONS, own(object, key));
  if (decision === undefined) fail(`${path}/${key}`, `must be one of ${DECISIONS.join(', ')}`);
  return decision;
}

/** A role is required exactly with require_approval: anywhere else it would be silently ignored. */
function roleFor(
  decision: Decision,
  value: JsonValue | undefined,
  path: string,
): string | undefined {
  if (decision !== 'require_approval') {
    if (value !== undefined) fail(path, 'is only allowed with require_approval');
    return undefined;
  }
  if (typeof value !== 'string' || !ROLE_RE.test(value)) {
    fail(path, 'require_approval needs a role matching ^[a-z][a-z0-9_-]{0,31}$');
  }
  return value;
}

function parseMatch(value: JsonValue | undefined, path: string): RuleMatch {
  if (!isJsonObject(value)) fail(path, 'is required (an object)');
  rejectUnknownKeys(value, MATCH_KEYS, path);
  // An empty match would silently apply to every workflow; say so explicitly with `engine`.
  if (Object.keys(value).length === 0) fail(path, 'needs at least one condition');
  const match: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {};
  for (const key of STRING_LISTS) {
    const list = stringList(own(value, key), `${path}/${key}`);
    if (list !== undefined) match[key] = list;
  }
  for (const key of GLOB_LISTS) {
    const list = stringList(own(value, key), `${path}/${key}`);
    list?.forEach((pattern, i) => {
      const problem = globProblem(pattern);
      if (problem !== undefined) fail(`${path}/${key}/${i}`, `glob ${problem}`);
    });
    if (list !== undefined) match[key] = list;
  }
  const roles = stringList(own(value, 'role'), `${path}/role`);
  if (roles !== undefined) match.role = roles.map((r, i) => artifactRole(r, `${path}/role/${i}`));
  const sizeGt = size(own(value, 'size_gt'), `${path}/size_gt`);
  const sizeLte = size(own(value, 'size_lte'), `${path}/size_lte`);
  if (sizeGt !== undefined && sizeLte !== undefined && sizeGt >= sizeLte) {
    fail(`${path}/size_lte`, 'must be greater than size_gt (the range is empty)');
  }
  if (sizeGt !== undefined) match.size_gt = sizeGt;
  if (sizeLte !== undefined) match.size_lte = sizeLte;
  const metadata = own(value, 'metadata');
  if (metadata !== undefined) match.metadata = metadataConditions(metadata, `${path}/metadata`);
  return match;
}

/** A non-empty list of non-empty strings (an empty OR-list would match nothing, silently). */
function stringList(value: JsonValue | undefined, path: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!isJsonArray(value) || value.length === 0) fail(path, 'must be a non-empty list');
  return value.map((item, i) => {
    if (typeof item !== 'string' || item === '') fail(`${path}/${i}`, 'must be a non-empty string');
    return item;
  });
}

function artifactRole(value: string, path: string): ArtifactRole {
  const role = memberOf(ARTIFACT_ROLES, value);
  if (role === undefined) fail(path, `must be one of ${ARTIFACT_ROLES.join(', ')}`);
  return role;
}

function size(value: JsonValue | undefined, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(path, 'must be a non-negative integer');
  }
  return value;
}

function metadataConditions(
  value: JsonValue,
  path: string,
): readonly (readonly [string, readonly string[]])[] {
  if (!isJsonObject(value) || Object.keys(value).length === 0) {
    fail(path, 'must be a non-empty object of key: [values]');
  }
  return Object.keys(value).map((key) => {
    const keyPath = jsonPointer(path, key);
    const list = own(value, key);
    if (!isJsonArray(list) || list.length === 0) fail(keyPath, 'must be a non-empty list');
    const values = list.map((item, i) => {
      if (typeof item !== 'string') fail(`${keyPath}/${i}`, 'must be a string');
      return item;
    });
    return [key, values] as const;
  });
}
