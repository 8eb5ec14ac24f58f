/**
 * The console end to end (issue 5): Debian's Chromium driven by playwright-core against a real
 * Clearance server on 127.0.0.1 (real authority, bubblewrap, built-in engines), seeded by the same
 * `clearance demo` the README's first command runs. Screenshots of every page go to
 * test-output/screenshots/.
 */
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceHome, openAuthority, type AuthorityRuntime } from '@clearance/authority';
import { startServer, type RunningServer } from '@clearance/server';
import {
  engineBundle,
  initialConfig,
  patchBundle,
  seedDemo,
  writeInitialConfig,
  type DemoResult,
} from '@clearance/cli';

const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Browser-side expressions, as strings: the tests are type-checked without the DOM library.
const FOCUSED_ID = 'document.activeElement ? document.activeElement.id : ""';
const UNLABELLED_CONTROLS = `[...document.querySelectorAll('input, select, textarea')].filter(
  (el) => el.labels.length === 0 && el.getAttribute('aria-label') === null &&
    el.getAttribute('aria-labelledby') === null).length`;

let root: string;
let runtime: AuthorityRuntime;
let server: RunningServer;
let browser: Browser;
let demo: DemoResult;
let adminToken: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-e2e-'));
  await chmod(root, 0o711);
  const homeDir = join(root, 'home');
  const workspace = join(root, 'workspace');
  await mkdir(workspace, { mode: 0o755 });
  await chown(workspace, 65534, 65534);
  const init = await ClearanceHome.init(homeDir);
  adminToken = init.adminToken;
  await init.home.close();
  const config = initialConfig(
    await patchBundle(),
    [{ name: 'demo', path: workspace }],
    await engineBundle('cnc'),
  );
  await writeInitialConfig(homeDir, config);
  demo = await seedDemo(homeDir);
  runtime = await openAuthority({ homeDir });
  server = await startServer(runtime, { host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await runtime?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

function token(name: string): string {
  if (name === 'admin') return adminToken;
  const t = demo.users[name]?.token;
  if (t === undefined) throw new Error(`no demo user ${name}`);
  return t;
}

function wf(key: string): string {
  const w = demo.workflows[key]?.workflow_id;
  if (w === undefined) throw new Error(`no demo workflow ${key}`);
  return w;
}

async function signIn(user: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.fill('#token', token(user));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Workflows' }).waitFor();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function api(path: string, user: string): Promise<unknown> {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${token(user)}` },
  });
  expect(res.status, path).toBe(200);
  return res.json();
}

describe('console in Chromium', () => {
  it('serves the console with a strict CSP and no inline script', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('approver approves the GREEN rosette; operator releases it and downloads the exact G-code', async () => {
    const id = wf('rosette_awaiting_approval');
    const approver = await signIn('approver');
    await approver.getByRole('link', { name: 'Approvals' }).click();
    const card = approver.locator(`[data-testid^="approval-"][data-workflow-id="${id}"]`);
    await card.waitFor();
    await expect
      .poll(async () => approver.locator('[data-testid="feasibility-badge"]').first().innerText())
      .toContain('GREEN');
    await shot(approver, 'approvals-inbox');
    await card.getByLabel('Reason').fill('channel checked against the purfling strip');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(
        async () => ((await api(`/api/workflows/${id}`, 'operator')) as { state: string }).state,
      )
      .toBe('READY_FOR_TAKEOFF');
    await approver.context().close();

    const operator = await signIn('operator');
    await operator.goto(`${server.url}/#/workflows/${id}`);
    await operator.locator('[data-testid="workflow-state"]').waitFor();
    await operator.locator('[data-testid="job-geometry"]').waitFor();
    await shot(operator, 'workflow-before-release');
    await operator.getByRole('button', { name: 'Release (take-off)' }).click();
    await operator
      .locator('[data-testid="toolpath-preview"]')
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        await shot(operator, 'release-failed');
        throw err;
      });
    await expect
      .poll(() => operator.locator('[data-testid="workflow-state"]').innerText())
      .toContain('COMPLETED');
    await shot(operator, 'workflow-released');
    const [download] = await Promise.all([
      operator.waitForEvent('download'),
      operator
        .getByRole('button', { name: 'Download G-code' })
        .or(operator.getByRole('link', { name: 'Download G-code' }))
        .first()
        .click(),
    ]);
    const path = await download.path();
    const bytes = await readFile(path);
    const runs = (await api(
      `/api/runs?workflow_id=${id}&kind=toolpaths&status=OK`,
      'operator',
    )) as {
      runs: { run_id: string }[];
    };
    const runId = runs.runs[0]?.run_id ?? '';
    const run = (await api(`/api/runs/${runId}`, 'operator')) as {
      hashes: { gcode_sha256: string };
    };
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(run.hashes.gcode_sha256);
    expect(bytes.toString('utf8')).toContain(id);
    await operator.context().close();
  });

  it('the agent finds no approve button, and a forced approval is refused', async () => {
    const agent = await signIn('agent');
    await agent.getByRole('link', { name: 'Approvals' }).click();
    await agent.waitForTimeout(500);
    expect(await agent.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await shot(agent, 'agent-approvals');
    const pending = (await api(`/api/workflows/${wf('patch_awaiting_approval')}`, 'agent')) as {
      pending_approvals: { approval_id: string }[];
    };
    const approvalId = pending.pending_approvals[0]?.approval_id ?? '';
    const status = await agent.evaluate(
      async ({ url, t }) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: JSON.stringify({ approved: true, reason: 'forced' }),
        });
        return res.status;
      },
      { url: `${server.url}/api/approvals/${approvalId}`, t: token('agent') },
    );
    expect(status).toBe(403);
    await agent.context().close();
  });

  it('a tampered stored artifact makes the approval refused, with its code shown', async () => {
    const id = wf('patch_awaiting_approval');
    const artifacts = (await api(`/api/workflows/${id}/artifacts`, 'approver')) as {
      artifacts: { name: string; body?: { address: string } | null; body_address?: string }[];
    };
    const entry = artifacts.artifacts.find((a) => a.body !== null && a.body !== undefined);
    const address = entry?.body?.address ?? entry?.body_address ?? '';
    expect(address).toMatch(/^[0-9a-f]{64}$/);
    const blob = join(root, 'home', 'cas', 'sha256', address.slice(0, 2), address);
    await chmod(blob, 0o644);
    await writeFile(blob, (await readFile(blob, 'utf8')).replace('6.5 mm', '9.5 mm'));
    const approver = await signIn('approver');
    await approver.getByRole('link', { name: 'Approvals' }).click();
    const card = approver.locator(`[data-testid^="approval-"][data-workflow-id="${id}"]`);
    await card.waitFor();
    await card.getByLabel('Reason').fill('bracing change looks right');
    await card.getByRole('button', { name: 'Approve' }).click();
    const alert = approver.locator('[role="alert"]').first();
    await alert.waitFor();
    await expect.poll(() => alert.innerText()).toMatch(/MISMATCH|CAS_CORRUPT|INTEGRITY/);
    await shot(approver, 'approval-refused-tampered');
    const state = ((await api(`/api/workflows/${id}`, 'approver')) as { state: string }).state;
    expect(state).not.toBe('READY_FOR_TAKEOFF');
    await approver.context().close();
  });

  it('keyboard only: sign in, filter workflows, open the RED pocket and read why it was denied', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('#token').waitFor();
    // The token field is reached with Tab (at most a few stops: e.g. a skip link first).
    for (let i = 0; i < 4; i++) {
      if ((await page.evaluate(FOCUSED_ID)) === 'token') break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(FOCUSED_ID)).toBe('token');
    await page.keyboard.type(token('supervisor'));
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Workflows' }).waitFor();
    await page.getByRole('link', { name: 'Workflows' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('State').selectOption('FAILED');
    await page.getByRole('button', { name: 'Apply filters' }).press('Enter');
    const red = wf('red_pocket_denied');
    const link = page.getByRole('link', { name: red });
    await link.waitFor();
    await shot(page, 'workflows-failed');
    await link.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="workflow-state"]').waitFor();
    await expect
      .poll(() => page.locator('[data-testid="workflow-state"]').innerText())
      .toBe('FAILED');
    const badge = page.locator('[data-testid="feasibility-badge"]').first();
    await expect.poll(() => badge.innerText()).toContain('RED');
    expect(await page.locator('main, body').first().innerText()).toContain('F022');
    await shot(page, 'workflow-red-denied');
    // Every form control on the page has an accessible name.
    const unlabelled = await page.evaluate(UNLABELLED_CONTROLS);
    expect(unlabelled).toBe(0);
    // No token is ever rendered.
    expect(await page.content()).not.toContain(token('supervisor'));
    await context.close();
  });

  it('a supervisor overrides the YELLOW rosette; the operator proposes it again; it awaits approval', async () => {
    const id = wf('yellow_rosette_denied');
    const supervisor = await signIn('supervisor');
    await supervisor.goto(`${server.url}/#/workflows/${id}`);
    const badge = supervisor.locator('[data-testid="feasibility-badge"]').first();
    await expect.poll(() => badge.innerText()).toContain('YELLOW');
    await supervisor.getByLabel(/Override reason/).fill('plunge feed verified on a test piece');
    await supervisor.getByRole('button', { name: 'Record override' }).click();
    await expect
      .poll(() => supervisor.locator('body').innerText())
      .toContain('Override by supervisor (YELLOW)');
    await shot(supervisor, 'override-recorded');
    await supervisor.context().close();
    const operator = await signIn('operator');
    await operator.goto(`${server.url}/#/workflows/${id}`);
    await operator.getByRole('button', { name: 'Propose again (retry)' }).click();
    await expect
      .poll(() => operator.locator('[data-testid="workflow-state"]').innerText(), {
        timeout: 30_000,
      })
      .toBe('AWAITING_APPROVAL');
    expect(operator.url()).not.toContain(id);
    await shot(operator, 'override-retried');
    await operator.context().close();
  });

  it('an operator submits a new CNC job after seeing its live feasibility', async () => {
    const operator = await signIn('operator');
    await operator.getByRole('link', { name: 'New CNC job' }).click();
    const badge = operator.locator('[data-testid="feasibility-badge"]').first();
    await expect.poll(() => badge.innerText(), { timeout: 30_000 }).toContain('GREEN');
    await operator.getByRole('button', { name: 'Submit job' }).click();
    await expect
      .poll(() => operator.locator('[data-testid="workflow-state"]').innerText(), {
        timeout: 30_000,
      })
      .toBe('AWAITING_APPROVAL');
    await shot(operator, 'new-job-submitted');
    await operator.context().close();
  });

  it('the audit page verifies the log', async () => {
    // Verification is for auditors and admins only (issue 10 U3).
    const auditor = await signIn('admin');
    await auditor.getByRole('link', { name: 'Audit' }).click();
    await auditor.getByRole('button', { name: 'Verify audit log' }).click();
    const result = auditor.locator('[data-testid="verify-result"]');
    await result.waitFor();
    // The first verification starts the server's verification worker: allow it time.
    await expect.poll(() => result.innerText(), { timeout: 30_000 }).toMatch(/intact|ok|verified/i);
    await shot(auditor, 'audit');
    await auditor.getByRole('link', { name: 'New CNC job' }).click();
    await auditor.locator('[data-testid="feasibility-badge"]').waitFor({ timeout: 30_000 });
    await shot(auditor, 'new-cnc-job');
    await auditor.context().close();
  });
});
