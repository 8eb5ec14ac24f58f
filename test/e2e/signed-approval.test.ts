/**
 * APR-13 / GEN-6 end to end: the console makes a non-extractable Ed25519 key in Chromium and shows
 * its PEM; the approver registers it with `clearance users key` (server stopped, as the CLI
 * requires); after the restart the console signs the approval, the server verifies it and the
 * stored run artifact re-verifies offline with the registered key.
 */
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClearanceHome,
  normalisePublicKey,
  openAuthority,
  verifyApproverSignature,
  type AuthorityRuntime,
} from '@clearance/authority';
import { keyRefFor, publicKeyFromPem, type JsonObject } from '@clearance/protocol';
import { startServer, type RunningServer } from '@clearance/server';
import { engineBundle, initialConfig, main, patchBundle, writeInitialConfig } from '@clearance/cli';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let root: string;
let homeDir: string;
let runtime: AuthorityRuntime | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
const tokens: Record<string, string> = {};

async function serve(port: number): Promise<RunningServer> {
  runtime = await openAuthority({ homeDir });
  server = await startServer(runtime, { host: '127.0.0.1', port });
  return server;
}

async function stop(): Promise<void> {
  await server?.close();
  await runtime?.close();
  server = undefined;
  runtime = undefined;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-e2e-sign-'));
  await chmod(root, 0o711);
  homeDir = join(root, 'home');
  const workspace = join(root, 'workspace');
  await mkdir(workspace, { mode: 0o755 });
  await writeFile(join(workspace, 'a.txt'), 'one\n', { mode: 0o644 });
  await chown(join(workspace, 'a.txt'), 65534, 65534);
  await chown(workspace, 65534, 65534);
  const init = await ClearanceHome.init(homeDir);
  tokens['ana'] = (await init.home.addUser('ana', ['approver'], 'test')).token;
  tokens['agent'] = (await init.home.addUser('bot', ['agent'], 'test')).token;
  await init.home.close();
  const config = initialConfig(
    await patchBundle(),
    [{ name: 'demo', path: workspace }],
    await engineBundle('cnc'),
  );
  await writeInitialConfig(homeDir, config);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stop();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

async function signIn(page: Page, url: string, user: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('#token', tokens[user] ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Approvals' }).waitFor();
}

describe('APR-13 signed approvals from the console', () => {
  it('APR-13 GEN-6: the console key is registered with the CLI, signs the approval, and the run artifact verifies offline', async () => {
    const first = await serve(0);
    const port = Number(new URL(first.url).port);
    if (browser === undefined) throw new Error('no browser');
    context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, first.url, 'ana');
    await page.getByRole('link', { name: 'Approvals' }).click();
    const panel = page.locator('[data-testid="approval-key"]');
    await panel.waitFor();
    expect(await panel.getAttribute('data-registered')).toBe('false');
    const keyRef = (await panel.getAttribute('data-key-ref')) ?? '';
    expect(keyRef).toMatch(/^ed25519:[0-9a-f]{64}$/);
    const pem = await page.locator('[data-testid="approval-key-pem"]').textContent();
    // The key is stored non-extractable: the page can sign with it but never export it.
    const extractable = await page.evaluate(`new Promise((resolve, reject) => {
      const r = indexedDB.open('clearance', 1);
      r.onerror = () => reject(r.error);
      r.onsuccess = () => {
        const get = r.result.transaction('approval-keys').objectStore('approval-keys').get('ana');
        get.onsuccess = () => resolve(get.result.privateKey.extractable);
      };
    })`);
    expect(extractable).toBe(false);
    expect(keyRefFor(publicKeyFromPem(normalisePublicKey(pem ?? '')))).toBe(keyRef);

    // Register it with the CLI while the server is stopped (the CLI needs the home lock).
    await stop();
    const file = join(root, 'ana.pem');
    await writeFile(file, pem ?? '');
    let out = '';
    const code = await main(['users', 'key', 'ana', file, '--home', homeDir, '--json'], {
      out: (t) => (out += t),
      err: (t) => (out += t),
    });
    expect(code, out).toBe(0);
    // Same origin (same port), so the browser keeps its IndexedDB key.
    const second = await serve(port);
    const running = runtime;
    if (running === undefined) throw new Error('not running');
    const wf = await running.orchestrator.propose(
      {
        engine: 'patch',
        workspace: 'demo',
        config: {
          patch: 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n',
        },
        context: {},
        stripped: [],
      },
      { name: 'bot', roles: ['agent'] },
    );
    expect(wf.state).toBe('AWAITING_APPROVAL');

    await page.goto(`${second.url}/#/approvals`);
    await page.reload();
    await page.getByRole('link', { name: 'Approvals' }).waitFor();
    await expect
      .poll(async () => panel.getAttribute('data-registered'), { timeout: 20_000 })
      .toBe('true');
    const card = page.locator(`[data-testid^="approval-"][data-workflow-id="${wf.workflow_id}"]`);
    await card.waitFor();
    await card.getByLabel('Reason').fill('signed in the browser');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(async () => (await running.orchestrator.get(wf.workflow_id)).state, {
        timeout: 20_000,
      })
      .toBe('READY_FOR_TAKEOFF');

    const entry = running.runs
      .list({ workflowId: wf.workflow_id })
      .find((r) => r.kind === 'approval' && r.status === 'OK');
    const run = JSON.parse(
      JSON.stringify(await running.runs.get(entry?.run_id ?? '')),
    ) as JsonObject;
    const key = publicKeyFromPem(normalisePublicKey(pem ?? ''));
    expect(verifyApproverSignature(run, new Map([[keyRef, key]]))).toEqual({
      kind: 'valid',
      keyRef,
    });
  });
});
