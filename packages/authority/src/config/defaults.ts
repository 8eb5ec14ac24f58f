/** The configuration `clearance init` writes. */
import type { JsonObject } from '@clearance/protocol';
import { configJson, parseConfig } from './parse.js';

/** A workspace to put in the default configuration. */
export interface DefaultWorkspace {
  readonly name: string;
  readonly path: string;
  /** Defaults to `[".git/index"]`: read-only git commands rewrite its stat data (§4.2.5). */
  readonly exclude?: readonly string[];
}

/** Inputs of {@link defaultConfig}. */
export interface DefaultConfigOptions {
  /** Absolute path of the built-in patch engine (a single-file .mjs bundle). */
  readonly patchExecutable: string;
  /** SHA-256 of its exact bytes. */
  readonly patchSha256: string;
  /** Program that runs the bundle; must be under /usr (default `/usr/bin/node`). */
  readonly interpreter?: string;
  readonly workspaces?: readonly DefaultWorkspace[];
  /** The built-in cnc engine bundle and its SHA-256 (both or neither). */
  readonly cnc?: { readonly executable: string; readonly sha256: string; readonly version: string };
  /** Absolute spool folder for released G-code (default `<home>/spool`). */
  readonly spoolDir?: string;
}

/** Default approval TTL written by init: 24 hours (timeout = reject, G-31). */
export const DEFAULT_APPROVAL_TTL_MS = 86_400_000;

/**
 * The configuration object `clearance init` writes: the patch engine pinned to `patchSha256` (and
 * the cnc engine when given), the
 * given workspaces, no policy sources (so preflight denies everything until an operator configures
 * one: the fail-safe of PRE-14), a 24 h approval TTL and a loopback server. Every default is
 * spelled out so an operator can see it. The result is run through {@link parseConfig}, so init can
 * never write a file that will not load (CONFIG_INVALID on bad options).
 */
export function defaultConfig(options: DefaultConfigOptions): JsonObject {
  const draft = {
    version: 1,
    engines: [
      {
        id: 'patch',
        version: '1.0.0',
        executable: options.patchExecutable,
        sha256: options.patchSha256,
        interpreter: options.interpreter ?? '/usr/bin/node',
      },
      ...(options.cnc === undefined
        ? []
        : [
            {
              id: 'cnc',
              version: options.cnc.version,
              executable: options.cnc.executable,
              sha256: options.cnc.sha256,
              interpreter: options.interpreter ?? '/usr/bin/node',
            },
          ]),
    ],
    workspaces: (options.workspaces ?? []).map((w) => ({
      name: w.name,
      path: w.path,
      exclude: w.exclude ?? ['.git/index'],
    })),
    policy: { sources: [] },
    approvals: { ttl_ms: DEFAULT_APPROVAL_TTL_MS },
    ...(options.spoolDir === undefined ? {} : { cnc: { spool_dir: options.spoolDir } }),
  };
  return configJson(parseConfig(JSON.stringify(draft)));
}
