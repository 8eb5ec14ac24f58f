/**
 * The parsed, validated deployment configuration (`$CLEARANCE_HOME/config.json`). Every object is
 * frozen; internals take these types and never look at the raw file again.
 */
import type { JsonObject } from '@clearance/protocol';

/** Resource limits of one engine run (flight-plan or take-off). */
export interface EngineLimits {
  readonly wallTimeMs: number;
  readonly memoryBytes: number;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly fileSizeBytes: number;
  readonly processes: number;
  readonly artifactsBytes: number;
  readonly artifactsCount: number;
}

/** A publisher's Ed25519 key and its signature over the engine's publication digest. */
export interface EnginePublisher {
  /** Base64url of the raw 32-byte public key, as written in the file. */
  readonly key: string;
  /** Base64url Ed25519 signature over the 32 raw bytes of {@link publicationDigest}. */
  readonly signature: string;
  /** `ed25519:<sha256 of the raw key>`, for audit records. */
  readonly keyRef: string;
}

/** One registered engine. */
export interface EngineEntry {
  readonly id: string;
  readonly version: string;
  /** Absolute path of the pinned file (the script or binary itself). */
  readonly executable: string;
  /** Lowercase hex SHA-256 of the executable's exact bytes (supply-chain pin, SEC-4). */
  readonly sha256: string;
  /** Absolute path under /usr of the program that runs `executable` (e.g. /usr/bin/node). */
  readonly interpreter?: string;
  readonly args: readonly string[];
  /** `PlanToken.model` fallback when no LLM gateway record exists (G-24); default `"none"`. */
  readonly model: string;
  readonly publisher?: EnginePublisher;
  readonly limits: EngineLimits;
  /**
   * Secrets this engine may be given (SEC-2): a proposal names the ones it needs
   * (`allowed_secrets`); their values come from the authority's environment at launch and travel
   * only in `EngineInput.secrets` (stdin). Never stored, hashed or audited.
   */
  readonly secrets: readonly EngineSecret[];
}

/** One mappable secret: its name in EngineInput.secrets and the authority variable holding it. */
export interface EngineSecret {
  readonly name: string;
  readonly env: string;
}

/** A directory engines may work on. */
export interface WorkspaceEntry {
  readonly name: string;
  readonly path: string;
  /** Relative paths left out of the workspace hash (the list itself is hashed, §4.2.5). */
  readonly exclude: readonly string[];
}

/** One configured policy source; `config` is opaque here and validated by governance. */
export interface PolicySourceConfig {
  readonly name: string;
  readonly kind: string;
  readonly config: JsonObject;
}

/** Preflight policy. There is deliberately no way to switch preflight off (PRE-1). */
export interface PolicyConfig {
  readonly timeoutMs: number;
  /** Only `most_restrictive` is conformant (G-16); aliases are normalised to it. */
  readonly aggregation: 'most_restrictive';
  /** May be empty: preflight then denies everything (PRE-14). */
  readonly sources: readonly PolicySourceConfig[];
}

/** Approval settings. */
export interface ApprovalsConfig {
  /** Time to live of an approval request; absent means no expiry (G-31). */
  readonly ttlMs?: number;
  /**
   * APR-13: roles whose approvals must carry the approver's own Ed25519 signature over the §4.2.7
   * binding (`require_signature`; default none). A user holding one of these roles and no
   * registered key cannot answer at all. Users with a key always sign, required or not.
   */
  readonly requireSignature?: readonly string[];
  /**
   * B3: whether an approver who rejected a change may approve its retry
   * (`allow_rejecter_reapproval`; default false: a rejected change needs another approver).
   */
  readonly allowRejecterReapproval?: boolean;
}

/** Where the HTTP server listens. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Per-client request limits (issue 10 U3); absent: the defaults (DEFAULT_RATE_LIMITS). */
  readonly rateLimits?: RateLimitsConfig;
}

/**
 * Per-client fixed-window request limits. A client is its remote address plus, when it presented
 * a valid token, its user name; unauthenticated and failed-auth requests share the address's
 * `unauthenticated` budget.
 */
export interface RateLimitsConfig {
  readonly windowMs: number;
  readonly unauthenticated: number;
  readonly authenticated: number;
}

/** Where every signed checkpoint is also sent (issue 10 U1). */
export type WitnessConfig =
  | { readonly kind: 'dir'; readonly dir: string }
  | {
      readonly kind: 'command';
      /** argv of a program that receives one checkpoint line on stdin and must exit 0. */
      readonly command: readonly string[];
      /** argv of a program printing the latest witnessed checkpoint line (start-up check). */
      readonly latest?: readonly string[];
      readonly timeoutMs: number;
    };

/** Audit log settings. */
export interface AuditConfig {
  /** A signed checkpoint after at least this many new events. */
  readonly checkpointEvery: number;
  readonly witness?: WitnessConfig;
}

/** CNC manufacturing settings (spec/rmos.md §6.10, issue 4). */
export interface CncConfig {
  /** Absolute folder released G-code is written to; absent: `<home>/spool`. */
  readonly spoolDir?: string;
  /** RED overrides exist only when the deployment enables them (and the user acknowledges). */
  readonly allowRedOverride: boolean;
  /** Role whose explicit approval every cnc job needs. */
  readonly approvalRole: string;
  /** Role that may record a YELLOW (or enabled RED) override. */
  readonly overrideRole: string;
}

/** Engine launch settings (issue 10, U4); absent values take the sandbox defaults. */
export interface SandboxConfig {
  /** At most this many engines run at once; the rest wait in a FIFO queue. */
  readonly maxConcurrentLaunches?: number;
  /** Host uids of per-launch identities (flight-plan); default 100000–165533. */
  readonly launchUids?: { readonly first: number; readonly count: number };
}

/** The whole configuration. */
export interface ClearanceConfig {
  readonly version: 1;
  readonly engines: readonly EngineEntry[];
  readonly workspaces: readonly WorkspaceEntry[];
  readonly policy: PolicyConfig;
  readonly approvals: ApprovalsConfig;
  readonly server: ServerConfig;
  readonly cnc: CncConfig;
  /** Absent: a checkpoint every 1000 events and no witness. */
  readonly audit?: AuditConfig;
  readonly sandbox: SandboxConfig;
  /** Config fingerprint: H('clearance.config.v1', normalised config), see {@link configJson}. */
  readonly digest: string;
}

/** Snake-case key in the file, bounds and default of one limit. */
export interface LimitSpec {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Bounds and defaults of every engine limit, by the key used in the file. */
export const LIMIT_SPECS = {
  wall_time_ms: { min: 100, max: 3_600_000, default: 60_000 },
  memory_bytes: { min: 16 * MiB, max: 16 * GiB, default: 512 * MiB },
  stdout_bytes: { min: KiB, max: 64 * MiB, default: MiB },
  stderr_bytes: { min: KiB, max: 16 * MiB, default: 256 * KiB },
  file_size_bytes: { min: KiB, max: GiB, default: 64 * MiB },
  processes: { min: 1, max: 4096, default: 64 },
  artifacts_bytes: { min: KiB, max: GiB, default: 64 * MiB },
  artifacts_count: { min: 1, max: 100_000, default: 1000 },
} as const satisfies Record<string, LimitSpec>;

/** A limit's key in the file. */
export type LimitKey = keyof typeof LIMIT_SPECS;
