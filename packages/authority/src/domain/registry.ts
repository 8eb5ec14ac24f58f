/**
 * The registered domains of one authority, wired where the authority is opened (authority.ts with
 * engines/builtin.ts). The orchestrator asks this registry, never a domain by name: an engine
 * without a domain gets {@link defineDomain}'s defaults (no built-in sources, nothing to check or
 * release, nothing to recover).
 */
import { ClearanceError } from '@clearance/protocol';
import type { PolicyInput, PolicySource } from '@clearance/governance';
import type { Domain, DomainHost, OutputCheck, WorkflowReads } from './domain.js';

/** The parts of a domain that differ from the defaults (its name and engines always do). */
export type DomainParts<V> = Partial<Domain<V>> & Pick<Domain<V>, 'name' | 'engines' | 'views'>;

const RELEASE_NOTHING: OutputCheck = {
  ok: true,
  release: () => Promise.resolve({ ok: true, artifacts: [], run: undefined }),
};

/** A complete domain from its parts; the rest are the defaults of an engine without a domain. */
export function defineDomain<V>(parts: DomainParts<V>): Domain<V> {
  return {
    checkProposal: () => undefined,
    claims: () => false,
    policySources: [],
    refusedTakeoffKind: 'takeoff',
    stamps: (engine) => ({ engine: `${engine.id}@${engine.version}` }),
    checkOutputs: () => Promise.resolve(RELEASE_NOTHING),
    recover: () => Promise.resolve([]),
    ...parts,
  };
}

/** The domain of engines that registered none. */
export const DEFAULT_DOMAIN: Domain<undefined> = defineDomain({
  name: 'default',
  engines: [],
  views: () => undefined,
});

/** A domain name: lower-case letters and digits. */
const DOMAIN_NAME = /^[a-z][a-z0-9]*$/;

/** The domains of one authority. */
export class DomainRegistry {
  private readonly byEngine = new Map<string, Domain>();
  private host: DomainHost | undefined;

  constructor(readonly domains: readonly Domain[]) {
    const names = new Set<string>();
    for (const d of domains) {
      if (names.has(d.name)) throw new ClearanceError('INTERNAL', `domain ${d.name} twice`);
      // A name is the prefix of the domain's record types (`clearance.<name>-…`): no `-` in it,
      // so no domain's prefix covers another's (a `cnc-release` domain and `cnc`'s intents).
      if (!DOMAIN_NAME.test(d.name)) throw new ClearanceError('INTERNAL', `domain name ${d.name}`);
      names.add(d.name);
      for (const e of d.engines) {
        // One domain per engine: a second one could neither add nor remove built-in sources.
        if (this.byEngine.has(e)) throw new ClearanceError('INTERNAL', `engine ${e} has 2 domains`);
        this.byEngine.set(e, d);
      }
    }
  }

  /** The domain of an engine (the default domain when it registered none). */
  forEngine(engineId: string): Domain {
    return this.byEngine.get(engineId) ?? DEFAULT_DOMAIN;
  }

  /**
   * The built-in policy sources of a plan: its engine's domain's, and those of every other
   * domain that claims the plan (e.g. cnc artifacts from a non-cnc engine).
   */
  sourcesFor(engineId: string, input: PolicyInput): PolicySource[] {
    const own = this.forEngine(engineId);
    const out = [...own.policySources];
    for (const d of this.domains) if (d !== own && d.claims(input)) out.push(...d.policySources);
    return out;
  }

  /** Called once by the orchestrator when it opens: what the domains' read views record with. */
  attach(host: DomainHost): void {
    if (this.host !== undefined) throw new ClearanceError('INTERNAL', 'domains attached twice');
    this.host = host;
  }

  /** The read views of a registered domain over the open authority. */
  views<V>(domain: Domain<V>, reads: WorkflowReads): V {
    if (!this.domains.includes(domain)) {
      throw new ClearanceError('INTERNAL', `domain ${domain.name} is not registered`);
    }
    if (this.host === undefined) throw new ClearanceError('INTERNAL', 'domains not attached');
    return domain.views(reads, this.host);
  }
}
