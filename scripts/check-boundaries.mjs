#!/usr/bin/env node
// Trust-boundary check: runs dependency-cruiser over packages/ with .dependency-cruiser.cjs and
// adds the checks a dependency graph cannot express. Fails closed: a missing packages/ folder,
// an unknown or manifest-less package folder, a source file that was not cruised, zero modules
// cruised, or any error of dependency-cruiser itself is a failure, never a pass.
//
// Usage: node scripts/check-boundaries.mjs [--root DIR] [--config FILE]
//   --root    folder that holds packages/ (default: this repository)
//   --config  dependency-cruiser config exporting buildConfig() (default: <repo>/.dependency-cruiser.cjs)
// Exit codes: 0 clean, 1 boundary violations, 2 the check itself could not run.
// Each violation is printed as `rule: from → to`.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCOPE = '@clearance/';
/** Extensions dependency-cruiser parses; every such file under packages/ must be cruised. */
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
/** Folders whose files are never cruised (mirrors `exclude` in the config). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

class ToolError extends Error {}

/** @type {{ rule: string, from: string, to: string }[]} */
const violations = [];

/**
 * @param {string} rule
 * @param {string} from
 * @param {string} to
 */
function violation(rule, from, to) {
  violations.push({ rule, from, to });
}

function parseCommandLine() {
  try {
    const { values } = parseArgs({
      options: {
        root: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (error) {
    throw new ToolError(error instanceof Error ? error.message : String(error));
  }
}

/** @param {string} file */
function isDirectory(file) {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Checks every folder under packages/ against the zone table and returns the package folders.
 * @param {string} packagesDir
 * @param {Readonly<Record<string, readonly string[]>>} zones
 */
function checkPackageFolders(packagesDir, zones) {
  const entries = readdirSync(packagesDir, { withFileTypes: true });
  const dirs = entries
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => entry.name)
    .sort();
  for (const dir of dirs) {
    const folder = `packages/${dir}`;
    if (!Object.hasOwn(zones, dir)) {
      violation(
        'unknown-package',
        folder,
        `not in the zone table (${Object.keys(zones).join(', ')})`,
      );
    }
    let manifestText;
    try {
      manifestText = readFileSync(path.join(packagesDir, dir, 'package.json'), 'utf8');
    } catch {
      violation('missing-package-json', folder, `${folder}/package.json`);
      continue;
    }
    let manifest;
    try {
      manifest = JSON.parse(manifestText);
    } catch (error) {
      violation(
        'invalid-package-json',
        folder,
        error instanceof Error ? error.message : 'unparsable',
      );
      continue;
    }
    const expected = `${SCOPE}${dir}`;
    if (manifest === null || typeof manifest !== 'object' || manifest.name !== expected) {
      violation('package-name-mismatch', `${folder}/package.json`, `name must be ${expected}`);
    }
  }
  return dirs;
}

/**
 * Source files on disk under packages/ that dependency-cruiser is expected to see.
 * @param {string} root
 */
function sourceFilesOnDisk(root) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} relative posix path relative to root */
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (/^packages\/[^/]+\/test\/fixtures$/.test(child)) continue;
        walk(child);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
        files.push(child);
      }
    }
  };
  walk('packages');
  return files;
}

/**
 * @param {import('dependency-cruiser').IViolation} item
 */
function describeViolation(item) {
  const to = item.cycle?.length
    ? `${item.to} (cycle: ${[item.from, ...item.cycle.map((step) => (typeof step === 'string' ? step : step.name))].join(' → ')})`
    : item.to;
  return { rule: item.rule.name, from: item.from, to };
}

async function main() {
  const args = parseCommandLine();
  if (args.help) {
    process.stdout.write(
      'Usage: node scripts/check-boundaries.mjs [--root DIR] [--config FILE]\n' +
        'Runs the trust-boundary rules over DIR/packages; exits 1 on any violation, 2 on tool errors.\n',
    );
    return 0;
  }
  const root = path.resolve(args.root ?? REPO_ROOT);
  const configFile = path.resolve(args.config ?? path.join(REPO_ROOT, '.dependency-cruiser.cjs'));
  const packagesDir = path.join(root, 'packages');

  if (!isDirectory(packagesDir)) {
    violation('missing-packages-folder', root, 'packages/ (nothing to check: failing closed)');
    return report(0, 0);
  }

  const require = createRequire(import.meta.url);
  /** @type {{ buildConfig?: (root: string) => import('dependency-cruiser').IConfiguration, ZONES?: Record<string, string[]> }} */
  const configModule = require(configFile);
  if (typeof configModule.buildConfig !== 'function' || typeof configModule.ZONES !== 'object') {
    throw new ToolError(`${configFile} does not expose buildConfig() and ZONES`);
  }

  checkPackageFolders(packagesDir, configModule.ZONES);

  // dependency-cruiser resolves and reports paths relative to the working directory.
  process.chdir(root);
  const { cruise } = await import('dependency-cruiser');
  const { default: extractTSConfig } =
    await import('dependency-cruiser/config-utl/extract-ts-config');

  const { options = {}, ...ruleSet } = configModule.buildConfig(root);
  const tsConfigFile = options.tsConfig?.fileName;
  const tsConfig = tsConfigFile ? extractTSConfig(tsConfigFile) : undefined;

  let result;
  try {
    result = await cruise(
      ['packages'],
      { ...options, baseDir: root, ruleSet, validate: true },
      {},
      tsConfig ? { tsConfig } : {},
    );
  } catch (error) {
    throw new ToolError(
      `dependency-cruiser failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const output = result.output;
  if (output === null || typeof output !== 'object' || !Array.isArray(output.modules)) {
    throw new ToolError('dependency-cruiser returned no cruise result');
  }

  // Modules dependency-cruiser actually parsed (not builtins, unresolvable names, or the
  // node_modules/dist/fixture files it only records as targets).
  const cruised = new Set(
    output.modules
      .filter(
        (module) => !module.coreModule && !module.couldNotResolve && !module.matchesDoNotFollow,
      )
      .map((module) => module.source),
  );
  const cruisedInPackages = [...cruised].filter(
    (source) => source.startsWith('packages/') && !source.includes('/node_modules/'),
  );
  if (cruisedInPackages.length === 0) {
    violation(
      'no-modules-cruised',
      'packages/',
      'zero modules (nothing was checked: failing closed)',
    );
  }
  for (const file of sourceFilesOnDisk(root)) {
    if (!cruised.has(file)) violation('source-not-cruised', file, 'not seen by dependency-cruiser');
  }

  for (const item of output.summary.violations) violations.push(describeViolation(item));

  return report(cruisedInPackages.length, output.summary.totalDependenciesCruised ?? 0);
}

/**
 * @param {number} modules
 * @param {number} dependencies
 */
function report(modules, dependencies) {
  const seen = new Set();
  for (const { rule, from, to } of violations) {
    const line = `${rule}: ${from} → ${to}`;
    if (seen.has(line)) continue;
    seen.add(line);
    process.stdout.write(`${line}\n`);
  }
  const summary = `check-boundaries: ${modules} modules, ${dependencies} dependencies cruised, ${seen.size} violation(s)`;
  if (seen.size > 0) {
    process.stderr.write(`${summary}: FAILED\n`);
    return 1;
  }
  process.stdout.write(`${summary}: ok\n`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  const message =
    error instanceof Error
      ? error instanceof ToolError
        ? error.message
        : (error.stack ?? error.message)
      : String(error);
  process.stderr.write(`check-boundaries: ERROR: ${message}\n`);
  process.exitCode = 2;
}
