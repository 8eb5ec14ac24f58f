/**
 * A real authority behind the real API: a fresh home, a config with the freshly bundled patch
 * engine and a rules policy, bubblewrap, and users of every role. Nothing is mocked.
 */
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClearanceHome,
  configPath,
  openAuthority,
  type AuthorityRuntime,
} from '@clearance/authority';
import { httpStatusFor, type ErrorCode } from '@clearance/protocol';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { engineBundle } from '../../../test/support/engine-bundles.js';
import { createServer } from '../src/index.js';

/** The uid engines run as inside the sandbox (take-off writes the workspace as this user). */
export const SANDBOX_UID = 65534;

export const RULES = {
  default: 'require_approval',
  default_role: 'approver',
  rules: [
    {
      id: 'no-env-files',
      match: { engine: ['patch'], path: ['**/.env', '.env'] },
      decision: 'deny',
      reason: 'secrets files are never changed by agents',
    },
  ],
};

export type Role = 'admin' | 'agent' | 'approver' | 'operator' | 'auditor' | 'supervisor';

/** A running API over a fresh home. */
export interface Api {
  readonly root: string;
  readonly homeDir: string;
  readonly workspace: string;
  /** Where released G-code goes. */
  readonly spool: string;
  readonly runtime: AuthorityRuntime;
  readonly app: FastifyInstance;
  readonly tokens: Readonly<Record<Role, string>>;
  close(): Promise<void>;
}

/** Write workspace files owned by the sandbox user. */
export async function handWorkspace(
  workspace: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const full = join(workspace, path);
    await mkdir(join(full, '..'), { recursive: true, mode: 0o755 });
    await writeFile(full, text, { mode: 0o644 });
    await chown(full, SANDBOX_UID, SANDBOX_UID);
    for (let d = join(full, '..'); d.startsWith(workspace) && d !== workspace; d = join(d, '..')) {
      await chown(d, SANDBOX_UID, SANDBOX_UID);
    }
  }
  await chown(workspace, SANDBOX_UID, SANDBOX_UID);
}

/** Start an API; `files` seed the workspace `demo`. */
export async function startApi(files: Record<string, string>): Promise<Api> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-server-'));
  try {
    await chmod(root, 0o711);
    const workspace = join(root, 'workspace');
    await mkdir(workspace, { mode: 0o755 });
    await handWorkspace(workspace, files);
    const [patch, cnc] = [engineBundle('patch'), engineBundle('cnc')];
    const spool = join(root, 'spool');
    const homeDir = join(root, 'home');
    const init = await ClearanceHome.init(homeDir);
    await init.home.close();
    const config = {
      version: 1,
      engines: [
        {
          id: 'patch',
          version: '1.0.0',
          executable: patch.file,
          sha256: patch.sha256,
          interpreter: '/usr/bin/node',
          limits: { wall_time_ms: 20_000 },
        },
        {
          id: 'cnc',
          version: '1.0.0',
          executable: cnc.file,
          sha256: cnc.sha256,
          interpreter: '/usr/bin/node',
          limits: { wall_time_ms: 30_000 },
        },
      ],
      workspaces: [{ name: 'demo', path: workspace, exclude: [] }],
      policy: { sources: [{ name: 'rules', kind: 'rules', config: RULES }] },
      cnc: { spool_dir: spool },
    };
    await writeFile(configPath(homeDir), JSON.stringify(config), { mode: 0o644 });
    const runtime = await openAuthority({ homeDir });
    const add = async (name: string, role: Role): Promise<string> =>
      (await runtime.home.addUser(name, [role], 'test')).token;
    const tokens = {
      admin: init.adminToken,
      agent: await add('agent-1', 'agent'),
      approver: await add('alice', 'approver'),
      operator: await add('olga', 'operator'),
      auditor: await add('audrey', 'auditor'),
      supervisor: await add('sam', 'supervisor'),
    };
    const app = createServer(runtime);
    await app.ready();
    return {
      root,
      homeDir,
      workspace,
      spool,
      runtime,
      app,
      tokens,
      close: async () => {
        await app.close();
        await runtime.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

/** Options of {@link call}. */
export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Raw payload (sent as is, with content-type application/json unless headers say otherwise). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** Inject one request. */
export function call(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  options: CallOptions = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const payload =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined && headers['content-type'] === undefined) {
    headers['content-type'] = 'application/json';
  }
  const request: InjectOptions = {
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  };
  return app.inject(request);
}

/** A unified diff that changes the one line of `path`. */
export function modifyDiff(path: string, before: string, after: string): string {
  return `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-${before}\n+${after}\n`;
}

/** The parsed JSON body of a response. */
export function bodyOf(res: LightMyRequestResponse): Record<string, unknown> {
  const value: unknown = res.json();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`not a JSON object: ${res.body}`);
  }
  return value as Record<string, unknown>;
}

/** Expect a problem+json answer with `code` and the status the error table gives it. */
export function expectProblem(
  res: LightMyRequestResponse,
  code: ErrorCode,
): Record<string, unknown> {
  expect(res.headers['content-type'], res.body).toMatch(/^application\/problem\+json/);
  const body = bodyOf(res);
  expect(body, res.body).toMatchObject({
    code,
    status: httpStatusFor(code),
    type: `https://clearance.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
  });
  expect(res.statusCode).toBe(httpStatusFor(code));
  expect(typeof body['title']).toBe('string');
  expect(typeof body['detail']).toBe('string');
  return body;
}
