/** loadConfig: the file is refused when others could have changed it. */
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, loadConfig, parseConfig } from '../../src/config/index.js';
import { baseConfig, rejected } from './helpers.js';

let home: string;
let file: string;
const text = JSON.stringify(baseConfig(), null, 2);

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'clearance-config-'));
  file = configPath(home);
  await writeFile(file, text);
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it.each([0o600, 0o644, 0o400])('loads a file with mode %o', async (mode) => {
    await chmod(file, mode);
    const config = await loadConfig(file);
    expect(config.digest).toBe(parseConfig(text).digest);
    expect(file).toBe(join(home, 'config.json'));
  });

  it.each([0o664, 0o620, 0o646, 0o666])(
    'refuses a file writable by group or others (%o)',
    async (mode) => {
      await chmod(file, mode);
      expect(await rejected(loadConfig(file))).toEqual({
        code: 'CONFIG_INVALID',
        detail: { file },
      });
    },
  );

  it('refuses a symlink, a missing file and a directory', async () => {
    await chmod(file, 0o600);
    const link = join(home, 'link.json');
    await symlink(file, link);
    expect((await rejected(loadConfig(link))).code).toBe('CONFIG_INVALID');
    expect((await rejected(loadConfig(join(home, 'absent.json')))).code).toBe('CONFIG_INVALID');
    const folder = join(home, 'folder.json');
    await mkdir(folder);
    expect((await rejected(loadConfig(folder))).code).toBe('CONFIG_INVALID');
  });

  it('refuses invalid contents with the JSON pointer', async () => {
    await writeFile(file, JSON.stringify({ ...baseConfig(), skip_preflight: true }));
    await chmod(file, 0o600);
    expect(await rejected(loadConfig(file))).toEqual({
      code: 'CONFIG_INVALID',
      detail: { pointer: '/skip_preflight' },
    });
  });
});
