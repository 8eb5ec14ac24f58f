/**
 * The manufacturing domain (DESIGN "Extension seams"): what every workflow of the built-in `cnc`
 * engine gets from the authority, registered through the domain seam instead of branches in the
 * orchestrator.
 *
 * - propose: the job is parsed and normalised at the edge (CNC_JOB_INVALID with its pointer);
 * - preflight: the authority's own feasibility source, for every cnc plan and every plan that
 *   carries `cnc.` artifacts (the source denies those of other engines) — built in, so no
 *   configuration can skip it;
 * - take-off: the G-code reproduced and validated against the engine's output folder (no folder
 *   is a refusal), then the write-ahead release to the spool and a `toolpaths` run artifact;
 * - open: the spool reconciled with the WALs before anything is served;
 * - read views: the RMOS job view and supervisor overrides ({@link CncService}).
 */
import type { PolicyInput } from '@clearance/governance';
import type { CncConfig } from '../config/index.js';
import type { Domain } from '../domain/domain.js';
import { defineDomain } from '../domain/registry.js';
import { CncFeasibilitySource } from './feasibility-source.js';
import { CNC_ENGINE_ID, requestedJob } from './job.js';
import { OverrideIndex } from './overrides.js';
import { CncService } from './service.js';
import { recoverSpool } from './spool-recovery.js';
import { checkCncOutputs, cncStamps, spoolDir, TOOLPATHS_KIND } from './takeoff.js';

/** What the cnc domain of one deployment is built from. */
export interface CncDomainOptions {
  readonly settings: CncConfig;
  readonly homeDir: string;
  /** Accepted overrides (the index the RMOS service adds to; default: none yet). */
  readonly overrides?: OverrideIndex;
}

/** True when a plan carries artifacts of the cnc domain's types. */
function carriesCncArtifacts(input: PolicyInput): boolean {
  return input.artifacts.some((a) => a.artifact_type.startsWith('cnc.'));
}

/** The cnc domain of one deployment; its read views are the RMOS service. */
export function cncDomain(options: CncDomainOptions): Domain<CncService> {
  const overrides = options.overrides ?? new OverrideIndex();
  const target = { spool: spoolDir(options.settings, options.homeDir), overrides };
  return defineDomain({
    name: 'cnc',
    engines: [CNC_ENGINE_ID],
    checkProposal: (config) => {
      requestedJob(config);
    },
    claims: carriesCncArtifacts,
    // Feasibility is built in: no configuration can let a cnc job skip it.
    policySources: [new CncFeasibilitySource(options.settings, overrides)],
    refusedTakeoffKind: TOOLPATHS_KIND,
    stamps: cncStamps,
    checkOutputs: (outputs) => checkCncOutputs(target, outputs),
    recover: (port) => recoverSpool(target.spool, port),
    views: (reads, host) => new CncService(reads, host, options.settings, overrides),
  });
}
