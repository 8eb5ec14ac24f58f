#!/usr/bin/env node
// Trust-boundary check: runs dependency-cruiser over packages/, test/ and bench/ (CRUISE_FOLDERS
// of .dependency-cruiser.cjs) and adds the checks a dependency graph cannot express, among them
// the advisory identifier scan (scripts/advisory-scan.mjs). Fails closed: a missing cruise folder,
// an unknown or manifest-less package folder, a zone of the table that is missing and not
// planned, a source file that was not cruised, zero modules cruised, or any error of
// dependency-cruiser itself is a failure, never a pass.
//
// A zone the rules name that is not built yet (PLANNED_ZONES of the config, e.g. advisory before
// it exists) is not a failure but never a silent pass either: one `not-run:` line per check that
// could not run, and the summary counts them.
//
// Usage: node scripts/check-boundaries.mjs [--root DIR] [--config FILE] [--planned ZONES]
//   --root     folder that holds packages/, test/ and bench/ (default: this repository)
//   --config   dependency-cruiser config exporting buildConfig() (default: <repo>/.dependency-cruiser.cjs)
//   --planned  comma-separated zones not built yet in this root (default: the config's PLANNED_ZONES)
// Exit codes: 0 clean, 1 boundary violations, 2 the check itself could not run.
// Each violation is printed as `rule: from → to`, each check not run as `not-run: check: why`.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { scanAdvisory } from './advisory-scan.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCOPE = '@clearance/';
/** Extensions dependency-cruiser parses; every such file under packages/ must be cruised. */
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
/** Folders whose files are never cruised (mirrors `exclude` in the config). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

class ToolError extends Error {}

/** @type {{ rule: string, from: string, to: string }[]} */
const violations = [];

/** Checks that could not run, each with why: reported, never counted as passed. */
/** @type {{ check: string, why: string }[]} */
const notRun = [];

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
        planned: { type: 'string' },
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

/** Fixture folders: data, never cruised (mirrors `doNotFollow` in the config). */
const FIXTURE_DIR = /^(?:packages\/[^/]+\/test|test|test\/[^/]+|bench)\/fixtures$/;

/**
 * Source files on disk under the cruised folders that dependency-cruiser is expected to see.
 * @param {string} root
 * @param {readonly string[]} folders
 */
function sourceFilesOnDisk(root, folders) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} relative posix path relative to root */
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (FIXTURE_DIR.test(child)) continue;
        walk(child);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
        files.push(child);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

/**
 * Zones of the table missing on disk: a planned zone's checks are reported as not run; any other
 * missing zone fails closed.
 * @param {string} packagesDir
 * @param {Readonly<Record<string, readonly string[]>>} zones
 * @param {readonly string[]} planned
 * @param {import('dependency-cruiser').IConfiguration} config
 */
function checkZones(packagesDir, zones, planned, config) {
  for (const zone of Object.keys(zones)) {
    if (isDirectory(path.join(packagesDir, zone))) continue;
    const folder = `packages/${zone}`;
    if (!planned.includes(zone)) {
      violation(
        'missing-zone',
        folder,
        'named in the zone table but missing (not planned): failing closed',
      );
      continue;
    }
    // The rules that only look at this zone's modules cannot fire: say so, by name.
    const prefix = `^${folder}/`;
    const rules = new Set(
      (config.forbidden ?? [])
        .filter((rule) => {
          const from = rule.from?.path;
          return (Array.isArray(from) ? from : [from]).some(
            (p) => typeof p === 'string' && p.startsWith(prefix),
          );
        })
        .map((rule) => rule.name ?? 'unnamed'),
    );
    for (const rule of [...rules].sort()) {
      notRun.push({ check: rule, why: `${folder} does not exist yet (planned zone)` });
    }
  }
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
  /** @type {{ buildConfig?: (root: string) => import('dependency-cruiser').IConfiguration, ZONES?: Record<string, string[]>, PLANNED_ZONES?: string[], CRUISE_FOLDERS?: string[] }} */
  const configModule = require(configFile);
  if (typeof configModule.buildConfig !== 'function' || typeof configModule.ZONES !== 'object') {
    throw new ToolError(`${configFile} does not expose buildConfig() and ZONES`);
  }
  const zones = configModule.ZONES;
  const planned =
    args.planned !== undefined
      ? args.planned
          .split(',')
          .map((zone) => zone.trim())
          .filter((zone) => zone !== '')
      : [...(configModule.PLANNED_ZONES ?? [])];
  for (const zone of planned) {
    if (!Object.hasOwn(zones, zone))
      throw new ToolError(`planned zone ${zone} is not in the zone table`);
  }
  const folders = [...(configModule.CRUISE_FOLDERS ?? ['packages'])];

  checkPackageFolders(packagesDir, zones);
  const fullConfig = configModule.buildConfig(root);
  checkZones(packagesDir, zones, planned, fullConfig);
  const present = folders.filter((folder) => {
    if (isDirectory(path.join(root, folder))) return true;
    violation(
      'missing-folder',
      `${folder}/`,
      'a folder the boundary check cruises is missing: failing closed',
    );
    return false;
  });

  // The advisory identifier scan (DESIGN.md), run when the zone exists; else reported.
  if (isDirectory(path.join(packagesDir, 'advisory'))) {
    for (const finding of scanAdvisory(root)) violations.push(finding);
  } else {
    notRun.push({
      check: 'advisory-identifier-scan',
      why: `packages/advisory does not exist${planned.includes('advisory') ? ' yet (planned zone)' : ''}`,
    });
  }

  // dependency-cruiser resolves and reports paths relative to the working directory.
  process.chdir(root);
  const { cruise } = await import('dependency-cruiser');
  const { default: extractTSConfig } =
    await import('dependency-cruiser/config-utl/extract-ts-config');

  const { options = {}, ...ruleSet } = fullConfig;
  const tsConfigFile = options.tsConfig?.fileName;
  const tsConfig = tsConfigFile ? extractTSConfig(tsConfigFile) : undefined;

  let result;
  try {
    result = await cruise(
      present,
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
  const cruisedInFolders = [...cruised].filter(
    (source) =>
      present.some((folder) => source.startsWith(`${folder}/`)) &&
      !source.includes('/node_modules/'),
  );
  if (!cruisedInFolders.some((source) => source.startsWith('packages/'))) {
    violation(
      'no-modules-cruised',
      'packages/',
      'zero modules (nothing was checked: failing closed)',
    );
  }
  for (const file of sourceFilesOnDisk(root, present)) {
    if (!cruised.has(file)) violation('source-not-cruised', file, 'not seen by dependency-cruiser');
  }

  for (const item of output.summary.violations) violations.push(describeViolation(item));

  return report(cruisedInFolders.length, output.summary.totalDependenciesCruised ?? 0);
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
  for (const { check, why } of notRun) process.stdout.write(`not-run: ${check}: ${why}\n`);
  const summary = `check-boundaries: ${modules} modules, ${dependencies} dependencies cruised, ${seen.size} violation(s)`;
  // Checks not run are never folded into "ok": the count follows the verdict on the same line.
  const skipped =
    notRun.length > 0 ? `; ${notRun.length} check(s) not run (see not-run lines)` : '';
  if (seen.size > 0) {
    process.stderr.write(`${summary}: FAILED${skipped}\n`);
    return 1;
  }
  process.stdout.write(`${summary}: ok${skipped}\n`);
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
