/** Shared helpers for the patch engine tests: temp dirs, file trees, refusal assertions. */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  lstatSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, expect } from 'vitest';

import { PatchError } from '../../../src/engines/patch/errors.js';
import type { PatchErrorCode } from '../../../src/engines/patch/errors.js';
import type { Limits } from '../../../src/engines/patch/types.js';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the current test. */
export function tempDir(prefix = 'patch-engine-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Write `files` (path -> content) under `root`, creating parents. */
export function writeTree(root: string, files: Readonly<Record<string, string | Buffer>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every entry under `root` (sorted), with type, mode and content: to prove "nothing changed". */
export function snapshot(root: string): string {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const stats = lstatSync(path);
      if (stats.isDirectory()) {
        out.push(`d ${relPath} ${(stats.mode & 0o777).toString(8)}`);
        walk(path, relPath);
      } else if (stats.isFile()) {
        const content = readFileSync(path).toString('base64');
        out.push(`f ${relPath} ${(stats.mode & 0o777).toString(8)} ${content}`);
      } else {
        out.push(`o ${relPath} ${stats.mode.toString(8)}`);
      }
    }
  };
  walk(root, '');
  return out.join('\n');
}

/** Default limits used in unit tests. */
export const LIMITS: Limits = { maxPatchBytes: 1024 * 1024, maxFileBytes: 4 * 1024 * 1024 };

/** Run `fn` and return the PatchError it throws (failing the test if it throws nothing else). */
export function catchPatchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PatchError);
    if (err instanceof PatchError) return err;
  }
  throw new Error('expected a PatchError, nothing was thrown');
}

/** Assert that `fn` is refused with `code` (and `reason`, when given). */
export function expectRefused(fn: () => unknown, code: PatchErrorCode, reason?: string): void {
  const err = catchPatchError(fn);
  expect(err.code).toBe(code);
  if (reason !== undefined) expect(err.reason).toBe(reason);
}

/** Join lines into patch text, each terminated by '\n'. */
export function lines(...text: string[]): string {
  return text.map((line) => `${line}\n`).join('');
}

/** A git-style modify section for `path` with the given hunk lines. */
export function gitModify(path: string, ...hunk: string[]): string {
  return lines(`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`, ...hunk);
}
