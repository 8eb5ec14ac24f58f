/**
 * The running authority of one home: the home (lock, audit log, CAS, users), its configuration,
 * the engine sandbox, the policy sources and the orchestrator, opened together and recovered
 * before anything is served. This is what `clearance serve` and the tests start.
 */
import { join } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import { RulesPolicySource, type PolicySource } from '@clearance/governance';
import { attachWitness, assertNotRolledBack } from './audit/witness-guard.js';
import { witnessFor, type WitnessQueue } from './audit/witness.js';
import { OverrideIndex } from './cnc/overrides.js';
import type { CncService } from './cnc/service.js';
import { configPath, EngineRegistry, loadConfig, type ClearanceConfig } from './config/index.js';
import type { Domain } from './domain/domain.js';
import { builtinDomains } from './engines/builtin.js';
import { ClearanceHome } from './home.js';
import { Orchestrator } from './orchestrator/orchestrator.js';
import type { FaultHook } from './orchestrator/context.js';
import type { RecoveryAction } from './orchestrator/recovery.js';
import { authorityQueries, type AuthorityQueries } from './query.js';
import { RunArtifactStore } from './runs/run-artifacts.js';
import type { Clock, IdSource } from './runtime.js';
import { BubblewrapSandbox, type EngineSandbox } from './sandbox/index.js';

/** Options of {@link openAuthority}. */
export interface OpenAuthorityOptions {
  readonly homeDir: string;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly sandbox?: EngineSandbox;
  readonly faults?: FaultHook;
  /** Extra policy sources, added to the configured ones (each fails closed like all). */
  readonly extraSources?: readonly PolicySource[];
  /** The error log (default: stderr), e.g. for a checkpoint the witness did not accept. */
  readonly warn?: (message: string) => void;
  /** Domains of further engines, registered beside the built-in ones (tests of the seam). */
  readonly extraDomains?: readonly Domain[];
}

/** An open, recovered authority. */
export interface AuthorityRuntime {
  readonly home: ClearanceHome;
  readonly config: ClearanceConfig;
  readonly orchestrator: Orchestrator;
  readonly runs: RunArtifactStore;
  /** The RMOS face: cnc job views and supervisor overrides. */
  readonly cnc: CncService;
  /** The read-only query API: what front ends read (they never hold a store). */
  readonly queries: AuthorityQueries;
  /** Record a front end's refused rate-limit window in the audit log (event `rate_limited`). */
  recordRateLimited(message: string): Promise<void>;
  readonly recovery: readonly RecoveryAction[];
  close(): Promise<void>;
}

/** Build the configured policy sources; an unknown kind refuses to start (fail closed). */
export function policySourcesFor(config: ClearanceConfig): PolicySource[] {
  return config.policy.sources.map((s) => {
    if (s.kind === 'rules') return RulesPolicySource.fromConfig(s.name, s.config);
    throw new ClearanceError('POLICY_CONFIG_INVALID', `unknown policy source kind ${s.kind}`, {
      detail: { source: s.name },
    });
  });
}

/** Open the home, load its configuration, check the sandbox, recover every workflow. */
export async function openAuthority(options: OpenAuthorityOptions): Promise<AuthorityRuntime> {
  const config = await loadConfig(configPath(options.homeDir));
  const sandbox =
    options.sandbox ??
    (await BubblewrapSandbox.create({
      ...(config.sandbox.maxConcurrentLaunches === undefined
        ? {}
        : { maxConcurrentLaunches: config.sandbox.maxConcurrentLaunches }),
      ...(config.sandbox.launchUids === undefined ? {} : { launchUids: config.sandbox.launchUids }),
    }));
  const home = await ClearanceHome.open(options.homeDir, {
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.ids === undefined ? {} : { ids: options.ids }),
    ...(config.audit === undefined ? {} : { checkpointEvery: config.audit.checkpointEvery }),
  });
  let witness: WitnessQueue | undefined;
  try {
    const witnessConfig = config.audit?.witness;
    if (witnessConfig !== undefined) {
      // Before anything is appended or recovered: a log older than the witness's latest
      // checkpoint (tail cut, home restored from a backup) is refused (AUDIT_ROLLBACK).
      const target = witnessFor(witnessConfig);
      const held = await assertNotRolledBack(home, target);
      witness = attachWitness(home, target, held, options.warn ?? stderrLine);
    }
    const runs = await RunArtifactStore.open(home.cas, join(options.homeDir, 'runs'));
    const torn = runs.recovered;
    if (torn !== undefined) {
      // The run index's torn tail is recorded like the audit log's and the WALs' (item 7).
      await home.audit.append({
        event_type: 'incomplete_entry',
        workflow_state: 'NONE',
        severity: 'warning',
        message: `torn final line of runs/${torn.file} recovered: ${torn.length} bytes at offset ${torn.offset} (sha256 ${torn.sha256}) moved to runs/${torn.quarantinedAs}; it was never acknowledged`,
      });
    }
    const overrides = await OverrideIndex.load(runs);
    const domains = builtinDomains({ config, homeDir: home.dir, overrides }, options.extraDomains);
    const sources = [...policySourcesFor(config), ...(options.extraSources ?? [])];
    const { orchestrator, recovery } = await Orchestrator.open({
      home,
      config,
      registry: new EngineRegistry(config),
      sandbox,
      policySources: sources,
      runs,
      domains: domains.registry,
      ...(options.faults === undefined ? {} : { faults: options.faults }),
    });
    return {
      home,
      config,
      orchestrator,
      runs,
      cnc: domains.registry.views(domains.cnc, orchestrator),
      queries: authorityQueries({ home, runs, orchestrator }),
      recordRateLimited: async (message) => {
        await home.audit.append({
          event_type: 'rate_limited',
          workflow_state: 'NONE',
          severity: 'warning',
          message,
        });
      },
      recovery,
      close: async () => {
        try {
          await orchestrator.close();
          await runs.close();
          // Checkpoint and deliver while the log is open, so a witness failure is still audited.
          if (witness !== undefined) {
            await home.audit.checkpoint();
            await witness.settle();
          }
        } finally {
          await home.close();
          await witness?.settle();
        }
      },
    };
  } catch (err) {
    await home.close();
    await witness?.settle();
    throw err;
  }
}

function stderrLine(message: string): void {
  process.stderr.write(`${message}\n`);
}
