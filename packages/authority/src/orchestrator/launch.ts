/**
 * One engine launch: materialise the pinned executable (hash checked on the bytes that will run),
 * build and validate the EngineInput, run the sandbox, judge the receipt. The caller owns the
 * WAL; this module only reports.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertValid,
  canonicalize,
  hasCode,
  isErrorCode,
  type EngineInput,
  type ErrorCode,
  type EngineOutput,
  type JsonObject,
  type Mode,
} from '@clearance/protocol';
import type { EngineEntry } from '../config/index.js';
import { isEngineOutput, judgeReceipt, type ReceiptVerdict } from '../plan/index.js';
import { isRecord } from '../narrow.js';
import type { SandboxResult } from '../sandbox/index.js';
import { type OrchestratorContext, PROTOCOL_VERSION, settleAudit } from './context.js';
import { containsSecret } from './secret-scan.js';
import { scrubJson, scrubText } from './secrets.js';

/** The folders of one launch. */
export interface LaunchDirs {
  readonly root: string;
  readonly artifacts: string;
  readonly temp: string;
  readonly output?: string;
}

/** Create the per-launch folders under a fresh run dir. */
export async function launchDirs(root: string, mode: Mode): Promise<LaunchDirs> {
  const dirs = {
    root,
    artifacts: join(root, 'artifacts'),
    temp: join(root, 'tmp'),
    ...(mode === 'take-off' ? { output: join(root, 'output') } : {}),
  };
  for (const d of [dirs.temp, dirs.output]) {
    if (d !== undefined) await mkdir(d, { mode: 0o700 });
  }
  // The sandbox user must reach the materialised executable (0555) but may list nothing.
  await mkdir(join(root, 'engine'), { mode: 0o711 });
  if (mode === 'flight-plan') await mkdir(dirs.artifacts, { mode: 0o700 });
  return dirs;
}

/** What a launch produced. */
export interface LaunchResult {
  readonly result: SandboxResult;
  readonly verdict: ReceiptVerdict;
  readonly executableSha256: string;
}

/** Build the EngineInput of a launch (ENG-10; never `meta.mode`, G-13; `config` always sent, G-40). */
export function engineInput(
  mode: Mode,
  workflowId: string,
  config: JsonObject,
  context: JsonObject,
  orchestrator: { run_index: number; workspace_hash: string },
  secrets: Readonly<Record<string, string>>,
  expectedPlanToken?: string,
): EngineInput {
  const names = Object.keys(secrets).sort();
  const input: EngineInput = {
    protocol_version: PROTOCOL_VERSION,
    mode,
    meta: { workflow_id: workflowId, step_id: 'main' },
    config,
    context,
    allowed_secrets: names,
    ...(names.length === 0 ? {} : { secrets: { ...secrets } }),
    orchestrator,
    ...(expectedPlanToken === undefined ? {} : { expected_plan_token: expectedPlanToken }),
  };
  assertValid('EngineInput', input);
  return input;
}

/** Materialise and launch; digest/signature errors are thrown (the caller audits them). */
export async function launchEngine(
  ctx: OrchestratorContext,
  engine: EngineEntry,
  input: EngineInput,
  dirs: LaunchDirs,
  workspace: string,
  secrets: Readonly<Record<string, string>> = {},
): Promise<LaunchResult> {
  // Everything recorded so far is durable before an engine runs.
  await settleAudit(ctx);
  const materialized = await ctx.registry.materialize(engine.id, join(dirs.root, 'engine'));
  const result = await ctx.sandbox.run({
    mode: input.mode,
    executable: materialized.path,
    ...(engine.interpreter === undefined ? {} : { interpreter: engine.interpreter }),
    args: engine.args,
    mounts: {
      workspace,
      artifacts: dirs.artifacts,
      temp: dirs.temp,
      ...(dirs.output === undefined ? {} : { output: dirs.output }),
    },
    stdin: Buffer.from(canonicalize(input), 'utf8'),
    limits: {
      wallTimeMs: engine.limits.wallTimeMs,
      memoryBytes: engine.limits.memoryBytes,
      stdoutBytes: engine.limits.stdoutBytes,
      stderrBytes: engine.limits.stderrBytes,
      fileSizeBytes: engine.limits.fileSizeBytes,
      processes: engine.limits.processes,
    },
  });
  const verdict = judgeReceipt(
    result.stdout,
    {
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      stdoutOverflow: result.stdoutOverflow,
    },
    { mode: input.mode, protocol_version: PROTOCOL_VERSION },
  );
  return scrubbed({ result, verdict, executableSha256: materialized.sha256 }, secrets);
}

/**
 * What the engine hands back is scrubbed of the secret values it was given before anyone stores
 * or audits it (SEC-3): stderr and every string of the receipt.
 */
function scrubbed(launch: LaunchResult, secrets: Readonly<Record<string, string>>): LaunchResult {
  if (Object.keys(secrets).length === 0) return launch;
  const result = {
    ...launch.result,
    stderr: Buffer.from(scrubText(launch.result.stderr.toString('utf8'), secrets), 'utf8'),
  };
  const receipt = launch.verdict.receipt;
  if (receipt === undefined) return { ...launch, result };
  const clean: unknown = scrubJson(receipt, secrets);
  // Only strings are scrubbed: a value handed back in another form (a digits-only secret as a
  // JSON number) would still be stored with the receipt, so the serialised receipt is checked too.
  if (!isEngineOutput(clean) || containsSecret(canonicalize(clean), secrets)) {
    return {
      ...launch,
      result,
      verdict: {
        ok: false,
        code: 'RECEIPT_INVALID',
        reason: 'receipt no longer valid once secret values were removed',
        reservedExitCode: false,
      },
    };
  }
  return { ...launch, result, verdict: { ...launch.verdict, receipt: clean } };
}

/** True for the supply-chain errors a launch can raise before anything runs. */
export function isSupplyChainError(err: unknown): boolean {
  return hasCode(err, 'ENGINE_DIGEST_MISMATCH') || hasCode(err, 'ENGINE_SIGNATURE_INVALID');
}

/** A failed verdict (what {@link failureOf} explains). */
export type FailedVerdict = Extract<ReceiptVerdict, { ok: false }>;

/** Why a launch failed, in the engine's own words when it gave a stable code (item 14). */
export interface LaunchFailure {
  /** The engine's code when its receipt names one of the closed list, else the verdict's. */
  readonly code: ErrorCode;
  /** One line: engine code, reason and issues first, then the verdict (e.g. ENGINE_FAILED: exit 2). */
  readonly text: string;
}

/** A stable machine reason or issue code as engines write them (no free text). */
const REASON_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_ISSUES = 8;

/**
 * The engine's own failure code from its receipt: `diagnostics.code` (the built-in engines), else
 * the `CODE:` prefix of `error`. Only codes of the closed list are taken, so an engine cannot
 * invent one; `diagnostics.reason` and `diagnostics.issues` (e.g. OUT_OF_ENVELOPE) come along
 * when they are plain identifiers.
 */
export function engineFailureCode(
  receipt: EngineOutput | undefined,
): { code: ErrorCode; reason?: string; issues: string[] } | undefined {
  if (receipt === undefined || receipt.status === 'success') return undefined;
  const diagnostics = receipt.diagnostics;
  const fromDiagnostics = isRecord(diagnostics) ? diagnostics['code'] : undefined;
  const fromError = /^([A-Z][A-Z0-9_]{1,63}):/.exec(receipt.error ?? '')?.[1];
  const code = isErrorCode(fromDiagnostics) ? fromDiagnostics : fromError;
  if (!isErrorCode(code)) return undefined;
  const reason = isRecord(diagnostics) ? diagnostics['reason'] : undefined;
  const issues = isRecord(diagnostics) ? diagnostics['issues'] : undefined;
  return {
    code,
    ...(typeof reason === 'string' && REASON_RE.test(reason) ? { reason } : {}),
    issues: Array.isArray(issues)
      ? issues
          .filter((i): i is string => typeof i === 'string' && REASON_RE.test(i))
          .slice(0, MAX_ISSUES)
      : [],
  };
}

/** A stderr code line: `<engine>: refused|failed: CODE (reason): …` (the built-in engines). */
const CODE_LINE_RE =
  /^[a-z][a-z0-9_.-]{0,63}: (?:refused|failed): ([A-Z][A-Z0-9_]{1,63})(?: \(([^)]*)\))?:/m;

/** The engine's failure code from its stderr code line, for a run that left no usable receipt. */
export function stderrFailureCode(
  stderr: Uint8Array | undefined,
): { code: ErrorCode; reason?: string; issues: string[] } | undefined {
  if (stderr === undefined) return undefined;
  const m = CODE_LINE_RE.exec(Buffer.from(stderr).toString('utf8'));
  const code = m?.[1];
  if (!isErrorCode(code)) return undefined;
  const reason = m?.[2];
  return {
    code,
    ...(reason !== undefined && REASON_RE.test(reason) ? { reason } : {}),
    issues: [],
  };
}

/**
 * The failure of a launch as every sink shows it (workflow failure text, run artifact code, HTTP
 * answer, CLI): the engine's own code first — "VALIDATION_FAILED (gcode-invalid: OUT_OF_ENVELOPE)"
 * rather than only "ENGINE_FAILED: exit 2" — then the verdict, which stays in the text. The code
 * comes from the receipt, else from the engine's stderr code line.
 */
export function failureOf(verdict: FailedVerdict, stderr?: Uint8Array): LaunchFailure {
  const own = engineFailureCode(verdict.receipt) ?? stderrFailureCode(stderr);
  const judged = `${verdict.code}: ${verdict.reason}`;
  if (own === undefined || own.code === verdict.code) return { code: verdict.code, text: judged };
  const detail = [own.reason, own.issues.join(', ')].filter((d) => d !== undefined && d !== '');
  return {
    code: own.code,
    text: `${own.code}${detail.length === 0 ? '' : ` (${detail.join(': ')})`} [${judged}]`,
  };
}

/** The audit `engine` object of a launch outcome (engine text is redacted by the audit log). */
export function auditEngine(
  engineId: string,
  verdict: ReceiptVerdict,
  result: SandboxResult,
): { engine_id: string; receipt_id?: string; status: string; error?: string } {
  const receipt: EngineOutput | undefined = verdict.receipt;
  const exit = result.timedOut
    ? 'timed out'
    : result.signal !== null
      ? `signal ${result.signal}`
      : `exit ${String(result.exitCode)}`;
  return {
    engine_id: engineId,
    ...(receipt === undefined ? {} : { receipt_id: receipt.receipt_id }),
    status: verdict.ok ? 'success' : 'failure',
    ...(verdict.ok
      ? {}
      : {
          error: `${failureOf(verdict, result.stderr).text} (${exit}${verdict.reservedExitCode ? ', reserved exit code' : ''})`,
        }),
  };
}
