/**
 * Host paths are not shown to agents (issue 10 item 13). Every JSON or problem+json answer to a
 * caller without a see-all role (an `agent`, or nobody signed in) has the authority's host paths
 * replaced by names: the home folder by `<home>`, the spool folder by `<spool>`, each workspace
 * by `<workspace:NAME>`, each engine executable by `<engine:ID>` — so `/root/.clearance/spool/job.nc` reads `<spool>/job.nc`. Operators,
 * supervisors and the other see-all roles keep real paths (they run the machine). Raw store bytes
 * (`application/octet-stream`) are never rewritten: they are content-addressed.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { seesAll, type AuthorityRuntime } from '@clearance/authority';
import type { FastifyInstance } from 'fastify';
import { optionalCallerOf } from '../auth.js';

/** A host path and the name shown instead. */
export interface PathName {
  readonly path: string;
  readonly name: string;
}

function variants(path: string): string[] {
  const out = new Set([path]);
  try {
    out.add(realpathSync(path));
  } catch {
    // A folder that does not exist (yet) has only its configured spelling.
  }
  for (const p of [...out]) out.add(JSON.stringify(p).slice(1, -1));
  return [...out].filter((p) => p.length > 1);
}

/** The host paths of a runtime, longest first (a workspace or spool inside the home wins). */
export function hostPaths(runtime: AuthorityRuntime): PathName[] {
  const named: { path: string; name: string }[] = [
    ...runtime.config.workspaces.map((w) => ({ path: w.path, name: `<workspace:${w.name}>` })),
    ...runtime.config.engines.map((e) => ({ path: e.executable, name: `<engine:${e.id}>` })),
    {
      path: runtime.config.cnc.spoolDir ?? join(runtime.queries.homeDir, 'spool'),
      name: '<spool>',
    },
    { path: runtime.queries.homeDir, name: '<home>' },
  ];
  return named
    .flatMap((n) => variants(n.path).map((path) => ({ path, name: n.name })))
    .sort((a, b) => b.path.length - a.path.length);
}

/** Replace every host path in `text` by its name (pure). */
export function hidePaths(text: string, paths: readonly PathName[]): string {
  let out = text;
  for (const p of paths) {
    if (out.includes(p.path)) out = out.split(p.path).join(p.name);
  }
  return out;
}

/** Install the onSend filter for `runtime`. */
export function installHostPathFilter(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const paths = hostPaths(runtime);
  app.addHook('onSend', (request, reply, payload, done) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const caller = optionalCallerOf(request);
    if (
      typeof payload !== 'string' ||
      !type.includes('json') ||
      (caller !== undefined && seesAll(caller))
    ) {
      done(null, payload);
      return;
    }
    done(null, hidePaths(payload, paths));
  });
}
