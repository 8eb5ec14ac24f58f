import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertDomain } from '../src/hash.js';
import { HASH_DOMAINS } from '../src/hash-domains.js';
import { HASH_DOMAINS as PORTABLE } from '../src/portable.js';

// Every tag is part of the hashes computed under it: changing a row makes old homes unreadable.
// Adding a row is fine; editing or removing one is a reviewed break of every stored hash.
// One `tag NAME` per line, sorted by tag.
const PINNED = `
cabincrew.approval.v1 APPROVAL_BINDING
cabincrew.artifact-meta.v1 ARTIFACT_META
cabincrew.artifact.v1 ARTIFACT
cabincrew.audit-event-id.v1 AUDIT_EVENT_ID
cabincrew.audit-event.v1 AUDIT_EVENT
cabincrew.input.v1 INPUT
cabincrew.plan-token-hash.v1 PLAN_TOKEN_HASH
cabincrew.plan-token.v1 PLAN_TOKEN
cabincrew.wal-entry.v1 WAL_ENTRY
cabincrew.workspace.v1 WORKSPACE
clearance.approval-request.v1 APPROVAL_REQUEST
clearance.artifact-set.v1 ARTIFACT_SET
clearance.audit-checkpoint.v1 AUDIT_CHECKPOINT
clearance.cnc-feasibility-source.v1 CNC_FEASIBILITY_SOURCE
clearance.cnc-job.v1 CNC_JOB
clearance.cnc-release-intent.v1 CNC_RELEASE_INTENT
clearance.cnc-release.v1 CNC_RELEASE
clearance.cnc-request.v1 CNC_REQUEST
clearance.cnc-toolpaths.v1 CNC_TOOLPATHS
clearance.cnc.receipt.v1 CNC_ENGINE_RECEIPT
clearance.config.v1 CONFIG
clearance.engine-publication.v1 ENGINE_PUBLICATION
clearance.engine-receipt.v1 ENGINE_RECEIPT
clearance.evaluation-id.v1 EVALUATION_ID
clearance.feasibility.v1 CNC_FEASIBILITY
clearance.patch.receipt.v1 PATCH_ENGINE_RECEIPT
clearance.plan-record.v1 PLAN_RECORD
clearance.policy-digest.v1 POLICY_DIGEST
clearance.policy-rules.v1 POLICY_RULES
clearance.preflight-outcome.v1 PREFLIGHT_OUTCOME
clearance.run-artifact.v1 RUN_ARTIFACT
clearance.run-id.v1 RUN_ID
clearance.run-request.v1 RUN_REQUEST
clearance.secret-scan.v1 SECRET_SCAN
clearance.spool-quarantine.v1 SPOOL_QUARANTINE
clearance.user-token.v1 USER_TOKEN
clearance.wal-key-created.v1 WAL_KEY_CREATED
clearance.workflow-request.v1 WORKFLOW_REQUEST
`;

/** The pinned table as the registry's name → tag object. */
function pinnedTable(): Record<string, string> {
  const rows = PINNED.trim()
    .split('\n')
    .map((line) => line.split(' '));
  return Object.fromEntries(rows.map(([tag, name]) => [name ?? '', tag ?? '']));
}

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));
const REGISTRY = join('protocol', 'src', 'hash-domains.ts');
/** A quoted string that looks like a versioned hash domain tag. */
const TAG_LITERAL = /(["'`])((?:clearance|cabincrew)\.[a-z0-9.-]+\.v[0-9]+)\1/g;

/** Tag-like string literals in `source`, comments removed (doc comments may name a tag). */
export function tagLiterals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(TAG_LITERAL)].map((m) => m[2] ?? '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory())
      return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(p);
    return /\.(?:ts|tsx|mts|cts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

describe('I11-3: one registry of hash domain tags', () => {
  it('I11-3: pins every tag exactly (a changed tag breaks every stored hash of old homes)', () => {
    expect({ ...HASH_DOMAINS }).toEqual(pinnedTable());
    expect(Object.keys(HASH_DOMAINS)).toHaveLength(38);
  });

  it('I11-3: no tag is registered twice, and every tag is a valid domain', () => {
    const tags = Object.values(HASH_DOMAINS);
    expect(new Set(tags).size).toBe(tags.length);
    for (const tag of tags) expect(() => assertDomain(tag)).not.toThrow();
  });

  it('I11-3: the registry is frozen and the portable face serves the same object', () => {
    expect(Object.isFrozen(HASH_DOMAINS)).toBe(true);
    expect(PORTABLE).toBe(HASH_DOMAINS);
  });

  it('I11-3: the scan finds tag literals in code and ignores comments', () => {
    const sample = [
      '/** H("clearance.doc.v1", x) */',
      '// see clearance.line.v1',
      "const a = H('clearance.stray.v1', x);",
      'const b = "cabincrew.other.v2";',
    ].join('\n');
    expect(tagLiterals(sample)).toEqual(['clearance.stray.v1', 'cabincrew.other.v2']);
  });

  it('I11-3: no source file outside the registry spells a hash domain tag', () => {
    const strays: string[] = [];
    for (const pkg of readdirSync(PACKAGES, { withFileTypes: true })) {
      if (!pkg.isDirectory()) continue;
      let files: string[];
      try {
        files = sourceFiles(join(PACKAGES, pkg.name, 'src'));
      } catch {
        continue; // a package without src/
      }
      for (const file of files) {
        const rel = relative(PACKAGES, file);
        if (rel === REGISTRY) continue;
        for (const tag of tagLiterals(readFileSync(file, 'utf8'))) strays.push(`${rel}: ${tag}`);
      }
    }
    expect(strays).toEqual([]);
  });
});
