/**
 * The orchestrator's folders in a Clearance home, and their modes: `workflows/` (one folder per
 * workflow: WAL and snapshot, 0700) and `work/` (launch folders of sandboxed engines, 0711).
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the orchestrator keeps workflows and engine launch folders. */
export interface OrchestratorLayout {
  readonly workflowsDir: string;
  readonly workDir: string;
}

/** Create (or repair the modes of) the orchestrator's folders under `homeDir`. */
export async function openLayout(homeDir: string): Promise<OrchestratorLayout> {
  const workflowsDir = join(homeDir, 'workflows');
  const workDir = join(homeDir, 'work');
  await mkdir(workflowsDir, { recursive: true, mode: 0o700 });
  await mkdir(workDir, { recursive: true, mode: 0o711 });
  await chmod(workDir, 0o711);
  // The sandbox identity (uid 65534) must be able to traverse to its own launch folders under
  // work/; it can list nothing (no r bit), and every other folder of the home stays 0700.
  const homeMode = (await stat(homeDir)).mode & 0o777;
  if ((homeMode & 0o001) === 0) await chmod(homeDir, homeMode | 0o001);
  return { workflowsDir, workDir };
}
