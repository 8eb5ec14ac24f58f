/**
 * The engine registry (SEC-4): lookups by id, and materialisation of a pinned executable into a
 * run directory. The bytes are read once, checked against the pin and the publisher signature, and
 * the very same buffer is written to the run directory, which is what the sandbox launches: the
 * bytes that were checked are the bytes that run, whatever happens to the original file meanwhile.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { ClearanceError, constantTimeEqual, Hb } from '@clearance/protocol';
import { isErrno } from '../fs-util.js';
import { readRegularFile } from './file.js';
import { verifyPublisher } from './publication.js';
import type { ClearanceConfig, EngineEntry, WorkspaceEntry } from './types.js';

/** Largest engine executable accepted (a single-file bundle or a static binary). */
export const MAX_EXECUTABLE_BYTES = 64 * 1024 * 1024;
/** Mode of the materialised copy: readable and executable, writable by nobody. */
export const MATERIALIZED_MODE = 0o555;

/** Result of {@link EngineRegistry.materialize}. */
export interface MaterializedEngine {
  /** Absolute path of the verified copy, `<runDir>/<basename of executable>`. */
  readonly path: string;
  /** SHA-256 of its bytes (equal to the pin). */
  readonly sha256: string;
}

/** Quote an id taken from a request for a message, bounded so it cannot flood a log line. */
function quoted(name: string): string {
  return JSON.stringify(name.slice(0, 80));
}

/** Engines and workspaces of a parsed configuration. */
export class EngineRegistry {
  private readonly engines: ReadonlyMap<string, EngineEntry>;
  private readonly workspaces: ReadonlyMap<string, WorkspaceEntry>;

  constructor(readonly config: ClearanceConfig) {
    this.engines = new Map(config.engines.map((e) => [e.id, e]));
    this.workspaces = new Map(config.workspaces.map((w) => [w.name, w]));
  }

  /** The engine `id`; ENGINE_UNKNOWN when it is not registered. */
  get(id: string): EngineEntry {
    const entry = this.engines.get(id);
    if (entry === undefined) throw new ClearanceError('ENGINE_UNKNOWN', `no engine ${quoted(id)}`);
    return entry;
  }

  /** Every registered engine, in file order. */
  list(): readonly EngineEntry[] {
    return this.config.engines;
  }

  /** The workspace `name`; WORKSPACE_UNKNOWN when it is not configured. */
  workspace(name: string): WorkspaceEntry {
    const entry = this.workspaces.get(name);
    if (entry === undefined)
      throw new ClearanceError('WORKSPACE_UNKNOWN', `no workspace ${quoted(name)}`);
    return entry;
  }

  /**
   * Read the executable of `id` once (a regular file, not a symlink, at most 64 MiB; else
   * REGISTRY_INVALID), check its SHA-256 against the pin in constant time (ENGINE_DIGEST_MISMATCH,
   * detail {engine, expected, actual}) and the publisher signature (ENGINE_SIGNATURE_INVALID), then
   * write the verified bytes to `<runDir>/<basename>` with mode 0555 and return that path. The
   * caller audits a refusal; nothing is written when a check fails.
   */
  async materialize(id: string, runDir: string): Promise<MaterializedEngine> {
    const entry = this.get(id);
    if (!isAbsolute(runDir))
      throw new ClearanceError('INTERNAL', 'materialize needs an absolute run directory');
    const { bytes } = await readRegularFile(entry.executable, MAX_EXECUTABLE_BYTES, {
      code: 'REGISTRY_INVALID',
      what: `engine ${entry.id}: executable ${entry.executable}`,
      detail: { engine: entry.id },
    });
    const actual = Hb(bytes);
    if (!constantTimeEqual(actual, entry.sha256)) {
      throw new ClearanceError(
        'ENGINE_DIGEST_MISMATCH',
        `engine ${entry.id}: executable does not match its pinned SHA-256; refusing to run it`,
        { detail: { engine: entry.id, expected: entry.sha256, actual } },
      );
    }
    if (entry.publisher !== undefined) verifyPublisher(entry.publisher, entry);
    const path = join(runDir, basename(entry.executable));
    await writeCopy(path, bytes, entry.id);
    return { path, sha256: actual };
  }
}

/** Create `path` exclusively (never through an existing file or symlink), write, then chmod 0555. */
async function writeCopy(path: string, bytes: Buffer, engine: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    const why = isErrno(err, 'EEXIST') ? 'already exists' : 'cannot be created';
    throw new ClearanceError('SANDBOX_FAILED', `engine copy ${path} ${why}`, {
      cause: err,
      detail: { engine },
    });
  }
  try {
    await handle.writeFile(bytes);
    // Explicit chmod: the creation mode is filtered by the umask, the final mode must not be.
    await handle.chmod(MATERIALIZED_MODE);
  } catch (err) {
    // A partial copy must not be left behind for anything to launch.
    await unlink(path).catch(() => undefined);
    throw new ClearanceError('SANDBOX_FAILED', `engine copy ${path} cannot be written`, {
      cause: err,
      detail: { engine },
    });
  } finally {
    await handle.close();
  }
}
