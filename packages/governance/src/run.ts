/**
 * Preflight: run every configured policy source on the same input and aggregate most-restrictively
 * (spec/cabincrew.md §2.6). Fail closed throughout (PRE-9, PRE-11, PRE-14, G-32, G-33): a source
 * that throws, times out or returns anything but well-formed evaluations of its own becomes a
 * synthesized deny plus a failure entry; no evaluations at all is a deny. There is no override.
 */
import { ClearanceError, isProfileTimestamp, validate } from '@clearance/protocol';
import { aggregate } from './aggregate.js';
import { assertSourceSet } from './digest.js';
import { FAILURE_RULE, INPUT_INVALID_POLICY_ID, NO_EVALUATIONS_POLICY_ID } from './names.js';
import { checkPolicyResult } from './result-check.js';
import { denyResult } from './synthesized.js';
import { describeError, safeText } from './text.js';
import type {
  PolicyFailure,
  PolicyInput,
  PolicyResult,
  PolicySource,
  PreflightOutcome,
} from './types.js';

/** Options of {@link runPreflight}. */
export interface RunPreflightOptions {
  /** Injected clock: RFC 3339 UTC with milliseconds and Z. */
  readonly now: () => string;
  /** Per-source wall-time budget in milliseconds (integer, 1 … 2^31-1). */
  readonly timeoutMs: number;
}

// setTimeout silently turns larger delays into 1 ms.
const MAX_TIMEOUT_MS = 2_147_483_647;

type Settled =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: string }
  | { readonly kind: 'timeout' };

/** What one source produced: its valid results and, if it failed, why (unsanitized). */
interface SourceRun {
  readonly results: readonly PolicyResult[];
  readonly problems: readonly string[];
}

/**
 * Evaluate `input` with every source (concurrently, each under its own timeout and AbortSignal)
 * and aggregate. Results keep source order, then each source's own order, whatever order the
 * sources finish in. Throws POLICY_CONFIG_INVALID for an invalid source set or timeout (a load-time
 * mistake) and INTERNAL if the injected clock misbehaves; every evaluation problem is a deny.
 */
export async function runPreflight(
  sources: readonly PolicySource[],
  input: PolicyInput,
  options: RunPreflightOptions,
): Promise<PreflightOutcome> {
  const { timeoutMs } = options;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new ClearanceError('POLICY_CONFIG_INVALID', 'policy timeout must be 1 … 2^31-1 ms', {
      detail: { pointer: '/timeout_ms' },
    });
  }
  assertSourceSet(sources);
  const stamp = checkedClock(options.now);
  const prepared = prepareInput(input);
  if (typeof prepared === 'string') {
    const error = safeText(prepared);
    const reason = `policy input is unusable: ${error}`;
    const denied = denyResult(INPUT_INVALID_POLICY_ID, reason, { error }, stamp());
    return { ...aggregate([denied]), failures: [{ source: 'preflight', error }] };
  }
  const runs = await Promise.all(sources.map((s) => runSource(s, prepared, options)));
  const results: PolicyResult[] = [];
  const failures: PolicyFailure[] = [];
  // Stamp synthesized evaluations in source order, after every source settled: the clock is read
  // in an order that does not depend on which source finished first.
  runs.forEach((run, i) => {
    const source = sources[i];
    results.push(...run.results);
    if (source === undefined || run.problems.length === 0) return;
    const error = safeText(summarize(run.problems));
    failures.push({ source: source.name, error });
    const policyId = `${source.name}/${FAILURE_RULE}`;
    const evidence = { source: source.name, kind: source.kind, error };
    results.push(denyResult(policyId, `policy source failed: ${error}`, evidence, stamp()));
  });
  if (results.length === 0) {
    const reason = 'no policy evaluations (PRE-14)';
    results.push(denyResult(NO_EVALUATIONS_POLICY_ID, reason, {}, stamp()));
  }
  return { ...aggregate(results), failures };
}

function checkedClock(now: () => string): () => string {
  return () => {
    const t = now();
    if (!isProfileTimestamp(t)) {
      throw new ClearanceError('INTERNAL', 'injected clock returned a malformed timestamp');
    }
    return t;
  };
}

/**
 * A deep-frozen private copy of the input, so that no source can change what another sees (the
 * sources run concurrently), or a string saying why the input cannot be evaluated at all.
 */
function prepareInput(input: PolicyInput): PolicyInput | string {
  let copy: PolicyInput;
  try {
    copy = structuredClone(input);
  } catch (err) {
    return `policy input cannot be copied (${describeError(err)})`;
  }
  const schema = validate('PreflightInput', copy.preflight);
  if (!schema.ok) {
    const issue = schema.issues[0];
    return `preflight is not a valid PreflightInput (${issue?.path ?? '/'}: ${issue?.message ?? 'invalid'})`;
  }
  if (!Array.isArray(copy.artifacts)) return 'artifacts is not a list';
  return deepFreeze(copy);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

async function runSource(
  source: PolicySource,
  input: PolicyInput,
  options: RunPreflightOptions,
): Promise<SourceRun> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      resolve({ kind: 'timeout' });
    }, options.timeoutMs);
  });
  const ctx = { now: options.now, signal: controller.signal };
  // Do not wait for a source that overran: the race settles on the timer, the source is told to
  // stop through its signal, and whatever it returns later is ignored.
  const settled = await Promise.race([invoke(source, input, ctx), expired]);
  clearTimeout(timer);
  switch (settled.kind) {
    case 'timeout':
      controller.abort(new ClearanceError('POLICY_EVALUATION_FAILED', 'policy source timed out'));
      return { results: [], problems: [`timed out after ${options.timeoutMs} ms`] };
    case 'error':
      return { results: [], problems: [`evaluation failed: ${settled.error}`] };
    case 'value':
      try {
        return checkSourceResults(source, settled.value);
      } catch (err) {
        // A hostile return value (a Proxy with throwing traps) is this source's failure only.
        return { results: [], problems: [`unreadable output: ${describeError(err)}`] };
      }
  }
}

/** Call the source; never rejects (a synchronous throw is caught too). */
async function invoke(
  source: PolicySource,
  input: PolicyInput,
  ctx: { now: () => string; signal: AbortSignal },
): Promise<Settled> {
  try {
    const value: unknown = await source.evaluate(input, ctx);
    return { kind: 'value', value };
  } catch (err) {
    return { kind: 'error', error: describeError(err) };
  }
}

/**
 * Keep a source's well-formed results and list what is wrong with the others. A result must also
 * belong to the source: its policy_id under `${name}/` (not the reserved `${name}/failure`), unique,
 * and its `source` equal to the source's kind, so the audit trail says truthfully who decided.
 */
function checkSourceResults(source: PolicySource, value: unknown): SourceRun {
  if (!Array.isArray(value)) return { results: [], problems: ['returned a non-array'] };
  if (value.length === 0) return { results: [], problems: ['returned no evaluations'] };
  const prefix = `${source.name}/`;
  const results: PolicyResult[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const check = checkPolicyResult(item);
    if (!check.ok) {
      problems.push(`result ${i}: ${check.problem}`);
      continue;
    }
    const { policy_id, source: kind } = check.result.evaluation;
    const local = policy_id.startsWith(prefix) ? policy_id.slice(prefix.length) : '';
    const problem =
      local === '' || local === FAILURE_RULE
        ? `policy_id ${JSON.stringify(policy_id.slice(0, 100))} is not a policy of this source`
        : kind !== source.kind
          ? `evaluation source ${kind} is not this source's kind ${source.kind}`
          : seen.has(policy_id)
            ? `policy_id ${JSON.stringify(policy_id.slice(0, 100))} is repeated`
            : undefined;
    if (problem === undefined) {
      seen.add(policy_id);
      results.push(check.result);
    } else {
      problems.push(`result ${i}: ${problem}`);
    }
  }
  return { results, problems };
}

function summarize(problems: readonly string[]): string {
  const [first = 'failed', ...rest] = problems;
  return rest.length === 0 ? first : `${first} (and ${rest.length} more)`;
}
