/**
 * No bubblewrap, no engine: create() refuses with SANDBOX_UNAVAILABLE, names what is missing and
 * how to install it, and launches nothing. There is no unsandboxed fallback.
 */
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceError } from '@clearance/protocol';
import { BubblewrapSandbox } from '../../src/sandbox/index.js';
import { makeRoot, removeRoot } from './helpers.js';

let root: string;
let markers: string;
/** A prlimit that records each launch in `markers` before doing its job. */
let recordingPrlimit: string;

beforeAll(async () => {
  root = await makeRoot();
  markers = join(root, 'markers');
  await mkdir(markers);
  await chmod(markers, 0o777);
  recordingPrlimit = join(root, 'prlimit');
  await writeFile(
    recordingPrlimit,
    `#!/bin/sh\n: > "${markers}/launch-$$"\nexec /usr/bin/prlimit "$@"\n`,
    { mode: 0o755 },
  );
});
afterAll(async () => {
  await removeRoot(root);
});

async function refusal(options: Parameters<typeof BubblewrapSandbox.create>[0]) {
  try {
    await BubblewrapSandbox.create(options);
  } catch (err) {
    if (err instanceof ClearanceError) return err;
    throw err;
  }
  throw new Error('create() did not refuse');
}

describe('BubblewrapSandbox.create', () => {
  it('works with the installed bubblewrap and prlimit, launching the probe once', async () => {
    const before = (await readdir(markers)).length;
    const sandbox = await BubblewrapSandbox.create({ prlimitPath: recordingPrlimit });
    expect(sandbox.kind).toBe('bubblewrap');
    expect((await readdir(markers)).length).toBe(before + 1);
  });

  it('refuses a missing bwrap, says how to install it, and launches nothing', async () => {
    const before = (await readdir(markers)).length;
    const err = await refusal({
      bwrapPath: join(root, 'no-such-bwrap'),
      prlimitPath: recordingPrlimit,
    });
    expect(err.code).toBe('SANDBOX_UNAVAILABLE');
    expect(err.message).toContain('apt-get install bubblewrap');
    expect(err.message).toContain(join(root, 'no-such-bwrap'));
    expect((await readdir(markers)).length).toBe(before);
  });

  it('refuses a missing prlimit and names util-linux', async () => {
    const err = await refusal({ prlimitPath: join(root, 'no-such-prlimit') });
    expect(err.code).toBe('SANDBOX_UNAVAILABLE');
    expect(err.message).toContain('apt-get install util-linux');
  });

  it.each([
    ['a relative path', 'bwrap'],
    ['a directory', '/usr/bin'],
    ['a file that is not executable', '/etc/hostname'],
  ])('refuses bwrap given as %s', async (_name, bwrapPath) => {
    expect((await refusal({ bwrapPath })).code).toBe('SANDBOX_UNAVAILABLE');
  });

  it('refuses a bwrap whose probe fails', async () => {
    const err = await refusal({ bwrapPath: '/usr/bin/false' });
    expect(err.code).toBe('SANDBOX_UNAVAILABLE');
    expect(err.message).toContain('probe failed');
  });

  it('refuses a "bwrap" that runs its command without isolating it', async () => {
    const fake = join(root, 'fake-bwrap');
    // Drops "--args 4 --" and runs the command directly on the host.
    await writeFile(fake, '#!/bin/sh\nshift 3\nexec "$@"\n', { mode: 0o755 });
    const err = await refusal({ bwrapPath: fake });
    expect(err.code).toBe('SANDBOX_UNAVAILABLE');
  });

  it('refuses the userns identity as root: engines would be host root outside', async () => {
    expect(process.getuid?.()).toBe(0);
    expect((await refusal({ identity: 'userns' })).code).toBe('SANDBOX_UNAVAILABLE');
    expect((await BubblewrapSandbox.create({ identity: 'host-uid' })).identity).toBe('host-uid');
  });
});
