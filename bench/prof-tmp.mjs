import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as A from '@clearance/authority';
const { ClearanceHome, configPath, openAuthority } = A;
const NOOP = '/work/main/bench/fixtures/noop-engine.mjs';
const tmp = await mkdtemp('/tmp/prof-'); await chmod(tmp, 0o711);
const ws = join(tmp, 'ws'); await mkdir(ws, {mode:0o755}); await chown(ws, 65534, 65534);
const homeDir = join(tmp, 'home');
(await ClearanceHome.init(homeDir)).home.close();
const sha256 = createHash('sha256').update(await readFile(NOOP)).digest('hex');
await writeFile(configPath(homeDir), JSON.stringify({version:1, engines:[{id:'noop',version:'1',executable:NOOP,sha256,interpreter:'/usr/bin/node'}], workspaces:[{name:'demo',path:ws,exclude:[]}], policy:{sources:[{name:'rules',kind:'rules',config:{default:'allow'}}]}}), {mode:0o644});
const rt = await openAuthority({ homeDir });
const o = rt.orchestrator;
const t0 = performance.now();
for (let i = 0; i < 30; i++) {
  const wf = await o.propose({engine:'noop',workspace:'demo',config:{},context:{},stripped:[]},{name:'a',roles:['agent']});
  await o.takeoff(wf.workflow_id, {name:'o',roles:['operator']});
}
console.log('per workflow', ((performance.now()-t0)/30).toFixed(1));
await rt.close();
