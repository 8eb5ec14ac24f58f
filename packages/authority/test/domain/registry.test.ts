/**
 * I11-1: the domain registry keeps the fail-closed properties of the cnc domain whatever else is
 * registered, and the orchestrator's folder names no domain (DESIGN "Extension seams").
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasCode } from '@clearance/protocol';
import type { PolicyInput } from '@clearance/governance';
import { defineDomain, DEFAULT_DOMAIN } from '../../src/domain/registry.js';
import { builtinDomains } from '../../src/engines/builtin.js';
import { FEASIBILITY_SOURCE_NAME, parseConfig } from '../../src/index.js';

const config = parseConfig(
  JSON.stringify({
    version: 1,
    engines: [],
    workspaces: [],
    policy: { sources: [] },
  }),
);

function input(engine: string, types: readonly string[]): PolicyInput {
  return {
    preflight: {} as PolicyInput['preflight'],
    engine: { id: engine, version: '1.0.0' },
    artifacts: types.map(
      (t, i) => ({ name: `a${i}`, artifact_type: t }) as PolicyInput['artifacts'][number],
    ),
  };
}

function names(engine: string, types: readonly string[]): string[] {
  const { registry } = builtinDomains({ config, homeDir: '/nonexistent' });
  return registry.sourcesFor(engine, input(engine, types)).map((s) => s.name);
}

describe('I11-1: domain registry', () => {
  it('I11-1 PRE-1: every cnc plan, and every plan carrying cnc. artifacts, gets feasibility', () => {
    expect(names('cnc', [])).toEqual([FEASIBILITY_SOURCE_NAME]);
    expect(names('patch', ['cnc.job'])).toEqual([FEASIBILITY_SOURCE_NAME]);
    expect(names('anything', ['cnc.job'])).toEqual([FEASIBILITY_SOURCE_NAME]);
    expect(names('patch', ['patch.diff'])).toEqual([]);
  });

  it('I11-1: cnc and patch are registered explicitly; other engines get the default domain', () => {
    const { registry, cnc } = builtinDomains({ config, homeDir: '/h' });
    expect(registry.forEngine('cnc')).toBe(cnc);
    expect(registry.forEngine('patch').name).toBe('patch');
    expect(registry.forEngine('other')).toBe(DEFAULT_DOMAIN);
    expect(registry.forEngine('cnc').refusedTakeoffKind).toBe('toolpaths');
    expect(registry.forEngine('patch').refusedTakeoffKind).toBe('takeoff');
  });

  it('I11-1: the cnc proposal check refuses a bad job with CNC_JOB_INVALID', () => {
    const { registry } = builtinDomains({ config, homeDir: '/h' });
    expect(() => registry.forEngine('cnc').checkProposal({ job: {}, extra: 1 })).toThrow(
      expect.objectContaining({ code: 'CNC_JOB_INVALID' }),
    );
    expect(() => registry.forEngine('patch').checkProposal({ anything: 1 })).not.toThrow();
  });

  it('I11-1: no extra domain can take over a built-in engine (feasibility is never replaced)', () => {
    for (const engine of ['cnc', 'patch']) {
      const thief = defineDomain({
        name: `x-${engine}`,
        engines: [engine],
        views: () => undefined,
      });
      let caught: unknown;
      try {
        builtinDomains({ config, homeDir: '/h' }, [thief]);
      } catch (err) {
        caught = err;
      }
      expect(hasCode(caught, 'INTERNAL')).toBe(true);
    }
  });

  it('I11-1: read views need the orchestrator to have attached the registry', () => {
    const { registry, cnc } = builtinDomains({ config, homeDir: '/h' });
    let caught: unknown;
    try {
      registry.views(cnc, {
        get: () => Promise.reject(new Error('unused')),
        viewOf: () => {
          throw new Error('unused');
        },
      });
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'INTERNAL')).toBe(true);
  });
});

const ORCHESTRATOR = fileURLToPath(new URL('../../src/orchestrator/', import.meta.url));
/** Folders of domain implementations (the interface lives in ../domain/, which is allowed). */
const DOMAIN_IMPORT = /from\s+['"]\.\.\/(cnc|patch|engines)\//;

describe('I11-1: the orchestrator knows workflows, not domains', () => {
  it('I11-1: no file under src/orchestrator mentions CNC_ENGINE_ID or imports a domain folder', async () => {
    const files = (await readdir(ORCHESTRATOR)).filter((f) => f.endsWith('.ts'));
    // The scan must see the orchestrator (a moved folder would make it pass vacuously).
    expect(files).toContain('orchestrator.ts');
    expect(files).toContain('takeoff-phase.ts');
    const offenders: string[] = [];
    for (const f of files) {
      const text = await readFile(join(ORCHESTRATOR, f), 'utf8');
      if (text.includes('CNC_ENGINE_ID')) offenders.push(`${f}: CNC_ENGINE_ID`);
      if (DOMAIN_IMPORT.test(text)) offenders.push(`${f}: imports a domain`);
      if (/['"]cnc['"]/.test(text)) offenders.push(`${f}: names the cnc engine`);
    }
    expect(offenders).toEqual([]);
  });

  it('I11-1: the cnc domain reaches the orchestrator only through the seam (no orchestrator.context)', async () => {
    const cnc = fileURLToPath(new URL('../../src/cnc/', import.meta.url));
    const files = (await readdir(cnc)).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('service.ts');
    const offenders: string[] = [];
    for (const f of files) {
      const text = await readFile(join(cnc, f), 'utf8');
      if (/\.context\b|orchestrator\/context\.js/.test(text)) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });

  it('I11-1: the scan fires on a file that branches on the cnc engine', () => {
    const sample = "import { CNC_ENGINE_ID } from '../cnc/job.js';";
    expect(sample.includes('CNC_ENGINE_ID')).toBe(true);
    expect(DOMAIN_IMPORT.test(sample)).toBe(true);
    expect(DOMAIN_IMPORT.test("import type { Domain } from '../domain/domain.js';")).toBe(false);
  });
});
