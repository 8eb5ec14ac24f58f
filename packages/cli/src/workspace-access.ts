/**
 * Can the engine sandbox reach the workspaces and the home? (issue 10, item 14)
 *
 * Engines run as uid 65534 (take-off, which writes the workspace) or as a per-launch uid with no
 * account and no group (flight-plan, U4), so bubblewrap opens every mount source as one of those:
 * each ancestor of a workspace and of the home must be searchable by them, a workspace readable
 * by every one of them and writable by 65534. Without this check a workspace under a 0700
 * folder fails much later and elsewhere (a flight-plan exits 1, then `demo` answered
 * APPROVAL_NOT_PENDING). Permission bits only: ACLs are not consulted.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClearanceError } from '@clearance/protocol';

/** The shared sandbox uid (take-off). */
export const TAKEOFF_UID = 65534;

/** A sandbox identity: a uid/gid, or none (the per-launch uids own nothing: the "other" class). */
interface Who {
  readonly label: string;
  readonly uid: number | undefined;
}

const TAKEOFF: Who = { label: 'uid 65534 (take-off)', uid: TAKEOFF_UID };
const PER_LAUNCH: Who = { label: 'the per-launch flight-plan uids', uid: undefined };

/** Mode and owner of one folder. */
export interface FolderStat {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** One folder a sandbox identity cannot use as it must, with the command that fixes it. */
export interface AccessProblem {
  readonly path: string;
  readonly who: string;
  /** Missing permission letters, e.g. "x" or "rx". */
  readonly missing: string;
  readonly fix: string;
}

const LETTERS = [
  ['r', 4],
  ['w', 2],
  ['x', 1],
] as const;

/** The permission class `who` falls in for `st`, and its three bits. */
function classOf(st: FolderStat, who: Who): { letter: 'u' | 'g' | 'o'; bits: number } {
  if (who.uid !== undefined && st.uid === who.uid) return { letter: 'u', bits: (st.mode >> 6) & 7 };
  // Sandbox launchers run with gid equal to their uid and no supplementary groups.
  if (who.uid !== undefined && st.gid === who.uid) return { letter: 'g', bits: (st.mode >> 3) & 7 };
  return { letter: 'o', bits: st.mode & 7 };
}

/**
 * Pure core: what `who` lacks of `need` ("x", "rx", "rwx") on a folder, or undefined. Write access
 * by "other" is never suggested: the fix for a take-off that cannot write is to give the folder
 * to uid 65534.
 */
export function accessProblem(
  path: string,
  st: FolderStat,
  who: Who,
  need: string,
): AccessProblem | undefined {
  const cls = classOf(st, who);
  const missing = LETTERS.filter(([l, bit]) => need.includes(l) && (cls.bits & bit) === 0)
    .map(([l]) => l)
    .join('');
  if (missing === '') return undefined;
  const fix =
    missing.includes('w') && cls.letter === 'o'
      ? `chown -R ${TAKEOFF_UID}:${TAKEOFF_UID} ${path}`
      : `chmod ${cls.letter}+${missing} ${path}`;
  return { path, who: who.label, missing, fix };
}

/** Every ancestor of an absolute path, from `/` down to its parent. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    out.unshift(dir);
    if (dir === dirname(dir)) return out;
  }
}

async function folderStat(path: string): Promise<FolderStat> {
  const st = await stat(path);
  return { mode: st.mode, uid: st.uid, gid: st.gid };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Not root: engines run as the authority's own uid, so ask the kernel directly. */
async function ownAccess(path: string, need: string): Promise<AccessProblem | undefined> {
  const mode =
    (need.includes('r') ? constants.R_OK : 0) |
    (need.includes('w') ? constants.W_OK : 0) |
    (need.includes('x') ? constants.X_OK : 0);
  const ok = await access(path, mode).then(
    () => true,
    () => false,
  );
  return ok
    ? undefined
    : { path, who: 'the authority user', missing: need, fix: `chmod u+${need} ${path}` };
}

/** The first folder of `dirs` some sandbox identity cannot search, or undefined. */
async function searchProblem(dirs: readonly string[]): Promise<AccessProblem | undefined> {
  for (const dir of dirs) {
    if (!isRoot()) {
      const p = await ownAccess(dir, 'x');
      if (p !== undefined) return p;
      continue;
    }
    const st = await folderStat(dir);
    for (const who of [PER_LAUNCH, TAKEOFF]) {
      const p = accessProblem(dir, st, who, 'x');
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

/**
 * The first problem on the way to `path` and on `path` itself (`need` per identity), or
 * undefined. A path that does not exist yet is not checked (init may name a folder made later).
 */
async function firstProblem(
  path: string,
  needs: readonly (readonly [Who, string])[],
): Promise<AccessProblem | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return undefined;
  const onTheWay = await searchProblem(ancestors(real));
  if (onTheWay !== undefined) return onTheWay;
  if (!isRoot()) return ownAccess(real, 'rwx');
  const st = await folderStat(real);
  for (const [who, need] of needs) {
    const p = accessProblem(real, st, who, need);
    if (p !== undefined) return p;
  }
  return undefined;
}

function unreachable(what: string, p: AccessProblem): ClearanceError {
  return new ClearanceError(
    'WORKSPACE_UNREACHABLE',
    `${what}: ${p.who} cannot ${p.missing.includes('w') ? 'write' : p.missing.includes('r') ? 'read' : 'traverse'} ${p.path} (missing ${p.missing}); fix: ${p.fix}`,
    { detail: { path: p.path, missing: p.missing, fix: p.fix } },
  );
}

/**
 * Refuse (WORKSPACE_UNREACHABLE, naming the folder and the fix) when a configured workspace that
 * exists cannot be traversed and read by every sandbox identity, or written by uid 65534.
 */
export async function assertWorkspacesReachable(
  workspaces: readonly { readonly name: string; readonly path: string }[],
): Promise<void> {
  for (const w of workspaces) {
    const p = await firstProblem(w.path, [
      [PER_LAUNCH, 'rx'],
      [TAKEOFF, 'rwx'],
    ]);
    if (p !== undefined) throw unreachable(`workspace ${w.name} (${w.path})`, p);
  }
}

/**
 * The home's launch folders (`<home>/work/…`) are mount sources too: every ancestor of the home
 * must be searchable by the sandbox identities (the authority itself makes the home and `work/`
 * searchable). Returns the refusal, or undefined; the caller decides to refuse or to warn.
 */
export async function homeProblem(homeDir: string): Promise<ClearanceError | undefined> {
  const real = await realpath(homeDir).catch(() => undefined);
  let dirs: string[];
  if (real !== undefined) {
    dirs = ancestors(real);
  } else {
    // Not made yet (init): its nearest existing ancestor must be searchable too.
    let probe = dirname(homeDir);
    let found = await realpath(probe).catch(() => undefined);
    while (found === undefined && probe !== dirname(probe)) {
      probe = dirname(probe);
      found = await realpath(probe).catch(() => undefined);
    }
    dirs = found === undefined ? [] : [...ancestors(found), found];
  }
  const p = await searchProblem(dirs);
  return p === undefined ? undefined : unreachable(`home ${homeDir}`, p);
}
