'use strict';

/*
 * Trust-boundary rules for the Clearance workspaces (DESIGN.md, "Packages and trust zones").
 *
 * Run it through `npm run lint:boundaries` (scripts/check-boundaries.mjs), which adds the checks
 * dependency-cruiser cannot express (unknown or manifest-less package folders, nothing cruised)
 * and fails closed. Running `npx depcruise packages --config .dependency-cruiser.cjs` directly
 * works too, with the same rules but without those extra checks.
 *
 * Every path in a rule is relative to the folder the cruise runs from (the repository root, or
 * the fixture root the tests point the script at). Workspace imports (`@clearance/<dir>`) are
 * resolved through the node_modules symlinks to their real paths under packages/, via the
 * `clearance-source` export condition, so `packages/<dir>/src/index.ts` is what a workspace
 * import resolves to.
 *
 * The default export is the configuration for the current working directory. The script calls
 * the (non-enumerable, so dependency-cruiser's strict schema never sees them) `buildConfig(root)`,
 * `ZONES`, `PLANNED_ZONES` and `CRUISE_FOLDERS` properties.
 */

const fs = require('node:fs');
const path = require('node:path');

/**
 * The zone table: package folder under packages/ -> workspace packages it may import.
 * Lower layers never import higher ones; this list is the only way in.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
const ZONES = Object.freeze({
  protocol: [],
  rego: [],
  governance: ['protocol', 'rego'],
  cnc: ['protocol'],
  authority: ['protocol', 'governance', 'cnc'],
  gateways: ['protocol', 'governance', 'authority'],
  server: ['authority', 'gateways', 'protocol'],
  client: ['protocol'],
  console: ['client'],
  advisory: ['protocol', 'client'],
  // Addition to DESIGN.md's table: the CLI administers the embedded store (init, verify,
  // recover, export), so it talks to `authority` directly as well as through client/server.
  cli: ['client', 'server', 'protocol', 'authority'],
});

/**
 * Zones of the table that are not built yet (DESIGN.md names them; later issues create them).
 * scripts/check-boundaries.mjs reports each check of a missing planned zone as `not-run`, without
 * failing; a missing zone that is not listed here fails the check. Remove a zone once it exists.
 * @type {readonly string[]}
 */
const PLANNED_ZONES = Object.freeze(['rego', 'gateways', 'advisory']);

/**
 * Folders cruised, relative to the root: the packages, and the root tests and benchmarks (a test
 * deep-importing another package's src/ is a boundary violation too). Each must exist.
 * @type {readonly string[]}
 */
const CRUISE_FOLDERS = Object.freeze(['packages', 'test', 'bench']);

const SCOPE = '@clearance/';

/**
 * Node builtins the advisory package must never import: anything that writes files, spawns
 * processes or threads, or evaluates/loads code outside the module graph. `process` and the
 * network modules are not listed: advisory reaches the system only through @clearance/client.
 */
const ADVISORY_FORBIDDEN_BUILTINS = [
  'fs',
  'fs/promises',
  'child_process',
  'worker_threads',
  'cluster',
  'vm',
  'module', // createRequire() loads arbitrary paths
  'v8', // writeHeapSnapshot() writes files
  'inspector',
  'inspector/promises',
  'trace_events', // writes trace files
  'wasi',
  'repl',
];

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** @param {readonly string[]} names */
function alternatives(names) {
  return names.map(escapeRegExp).join('|');
}

/**
 * A workspace package's public face: the only files another package may resolve to. `portable` is
 * the browser-safe face a package may declare beside its index (`@clearance/protocol/portable`).
 */
const PUBLIC_FACE =
  '^packages/[^/]+/(?:src/(?:index|portable)\\.ts|dist/(?:index|portable)\\.(?:js|d\\.ts))$';

/** Modules that are tests (not shipped): packages/<dir>/test/... */
const TEST_PATH = '^packages/[^/]+/test/';

/** The root test and benchmark folders (not in any package). */
const ROOT_TEST_PATH = '^(?:test|bench)/';

/** Executable shims (packages/<dir>/bin/...), which load the package's built dist/. */
const BIN_PATH = '^packages/[^/]+/bin/';

/**
 * @param {string} file
 * @returns {Record<string, unknown> | null}
 */
function readJson(file) {
  try {
    return /** @type {Record<string, unknown>} */ (JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * @param {Record<string, unknown> | null} manifest
 * @param {readonly string[]} fields
 * @returns {string[]}
 */
function dependencyNames(manifest, fields) {
  /** @type {string[]} */
  const names = [];
  for (const field of fields) {
    const deps = manifest?.[field];
    if (deps !== null && typeof deps === 'object') names.push(...Object.keys(deps));
  }
  return names;
}

const RUNTIME_DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const ALL_DEPENDENCY_FIELDS = [...RUNTIME_DEPENDENCY_FIELDS, 'devDependencies'];

/** @param {string[]} workspaceDirs */
function workspaceTargets(workspaceDirs) {
  return `^packages/(?!(?:${alternatives(workspaceDirs)})/)[^/]+/`;
}

/**
 * Rules (per package present on disk) forbidding imports of workspace packages the importing
 * package's package.json does not declare. npm workspaces symlink every workspace into the root
 * node_modules, so such an import resolves even when undeclared; dependency-cruiser classifies
 * it as local ('undetermined'), not npm, so its npm-no-pkg check does not see it.
 * @param {string} root
 */
function undeclaredWorkspaceRules(root) {
  const packagesDir = path.join(root, 'packages');
  /** @type {string[]} */
  let dirs = [];
  try {
    dirs = fs
      .readdirSync(packagesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  /** @param {string[]} names */
  const workspaceDirsOf = (names) =>
    names.filter((name) => name.startsWith(SCOPE)).map((name) => name.slice(SCOPE.length));

  return dirs.sort().flatMap((dir) => {
    const manifest = readJson(path.join(packagesDir, dir, 'package.json'));
    const runtime = workspaceDirsOf(dependencyNames(manifest, RUNTIME_DEPENDENCY_FIELDS));
    const all = workspaceDirsOf(dependencyNames(manifest, ALL_DEPENDENCY_FIELDS));
    const self = escapeRegExp(dir);
    return [
      {
        name: 'no-undeclared-workspace-dependency',
        severity: 'error',
        comment: `packages/${dir} (non-test code) may only import workspace packages listed in its package.json dependencies`,
        from: { path: `^packages/${self}/`, pathNot: `^packages/${self}/test/` },
        to: { path: workspaceTargets([dir, ...runtime]) },
      },
      {
        name: 'no-undeclared-workspace-dependency',
        severity: 'error',
        comment: `packages/${dir}/test may only import workspace packages listed in its package.json (dev)dependencies`,
        from: { path: `^packages/${self}/test/` },
        to: { path: workspaceTargets([dir, ...all]) },
      },
    ];
  });
}

/**
 * @param {string} root folder holding packages/ (and the root package.json)
 * @returns {import('dependency-cruiser').IConfiguration}
 */
function buildConfig(root) {
  const known = Object.keys(ZONES);
  const rootDevDependencies = dependencyNames(readJson(path.join(root, 'package.json')), [
    'devDependencies',
  ]);
  // Package tests run under the root's test tooling (vitest, fast-check...), so for test files
  // the root devDependencies count as declared.
  /** @type {string[]} */
  const rootToolPaths =
    rootDevDependencies.length > 0
      ? [`(?:^|/)node_modules/(?:${alternatives(rootDevDependencies)})/`]
      : [];

  /** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
  const zoneRules = Object.entries(ZONES).map(([dir, allowed]) => {
    const mayImport = alternatives([dir, ...allowed]);
    return {
      name: `zone-${dir}`,
      severity: 'error',
      comment:
        `packages/${dir} may import ${allowed.length > 0 ? allowed.join(', ') : 'no other workspace package'} ` +
        '(zone table, DESIGN.md); anything else is a lower -> higher or sideways import',
      from: { path: `^packages/${escapeRegExp(dir)}/` },
      to: {
        path: [
          // resolved into another workspace folder
          `^packages/(?!(?:${mayImport})/)[^/]+/`,
          // or not resolvable at all, but still named as a forbidden workspace package
          `^${escapeRegExp(SCOPE)}(?!(?:${mayImport})(?:/|$))`,
        ],
      },
    };
  });

  /** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
  const forbidden = [
    // (a) the zone table, one rule per package
    ...zoneRules,

    // (b) advisory: propose-only. Nothing but protocol and client (and its own modules); its
    // tests may additionally use npm test tooling. No builtin that writes, spawns or loads code.
    {
      name: 'advisory-only-protocol-client',
      severity: 'error',
      comment:
        'packages/advisory may import nothing but @clearance/protocol, @clearance/client and safe Node builtins',
      from: { path: '^packages/advisory/', pathNot: '^packages/advisory/test/' },
      to: {
        pathNot: '^packages/(?:advisory|protocol|client)/',
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'advisory-only-protocol-client',
      severity: 'error',
      comment:
        'packages/advisory tests may import advisory, protocol, client, safe Node builtins and npm test tooling',
      from: { path: '^packages/advisory/test/' },
      to: {
        pathNot: ['^packages/(?:advisory|protocol|client)/', '(?:^|/)node_modules/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'advisory-no-write-or-spawn-builtin',
      severity: 'error',
      comment: `packages/advisory must not import ${ADVISORY_FORBIDDEN_BUILTINS.join(', ')} (with or without node:)`,
      from: { path: '^packages/advisory/' },
      to: {
        dependencyTypes: ['core'],
        path: `^(?:node:)?(?:${alternatives(ADVISORY_FORBIDDEN_BUILTINS)})$`,
      },
    },

    // (c) one public face per package
    {
      name: 'no-deep-import',
      severity: 'error',
      comment:
        'another package may be reached only through its public face (src/index.ts, or dist/index.js|.d.ts); never its internals',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/(?!$1/)[^/]+/', pathNot: PUBLIC_FACE },
    },
    {
      name: 'no-deep-import',
      severity: 'error',
      comment:
        'root tests and benchmarks reach a package only through its public face (src/index.ts, or dist/index.js|.d.ts); never its internals',
      from: { path: ROOT_TEST_PATH },
      to: { path: '^packages/[^/]+/', pathNot: PUBLIC_FACE },
    },
    {
      name: 'no-deep-import',
      severity: 'error',
      comment:
        'no import specifier may name the src/ or dist/ of a workspace package (@clearance/x/src/...)',
      from: {},
      to: { path: `^${escapeRegExp(SCOPE)}[^/]+/(?:src|dist)(?:/|$)` },
    },
    {
      name: 'no-relative-cross-package',
      severity: 'error',
      comment:
        'a relative path (../../x/src/...) must never cross into another package; import @clearance/x instead',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/(?!$1/)[^/]+/', dependencyTypes: ['local'] },
    },
    {
      name: 'workspace-resolves-outside-packages',
      severity: 'error',
      comment:
        'a @clearance/* import must resolve to its real folder under packages/ (the workspace symlink), never to a copy in node_modules',
      from: {},
      to: { path: `(?:^|/)node_modules/${escapeRegExp(SCOPE)}` },
    },
    {
      name: 'no-reach-outside-packages',
      severity: 'error',
      comment:
        'shipped code under packages/*/src may only import workspace packages, npm packages and Node builtins',
      from: { path: '^packages/[^/]+/src/' },
      to: {
        pathNot: ['^packages/', '(?:^|/)node_modules/'],
        dependencyTypesNot: ['core', 'unknown'],
      },
    },

    // (d)
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'no circular dependencies at run time. A cycle closed only by `import type` edges is erased by ' +
        'the compiler and allowed; to forbid those too, drop both dependencyTypesNot conditions.',
      from: {},
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },

    // (e)
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'every import must resolve to a file on disk (or a Node builtin)',
      from: { pathNot: BIN_PATH },
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        "a package's bin/ shims may import its own ../dist/ before it is built; nothing else may be missing",
      from: { path: BIN_PATH },
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
    },
    {
      name: 'no-undeclared-dependency',
      severity: 'error',
      comment: "npm packages must be declared in the importing package's package.json",
      from: { pathNot: TEST_PATH },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-undeclared-dependency',
      severity: 'error',
      comment:
        "tests may use the package's own (dev)dependencies and the root devDependencies only",
      from: { path: TEST_PATH },
      to: {
        dependencyTypes: ['npm-no-pkg', 'npm-unknown'],
        ...(rootToolPaths.length > 0 ? { pathNot: rootToolPaths } : {}),
      },
    },
    {
      name: 'not-to-dev-dependency',
      severity: 'error',
      comment: 'shipped code must not import devDependencies at run time (import type is fine)',
      from: { path: '^packages/[^/]+/src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    ...undeclaredWorkspaceRules(root),

    // (f) fail closed on packages missing from the zone table. scripts/check-boundaries.mjs also
    // rejects such folders when they hold no module at all.
    {
      name: 'unknown-package',
      severity: 'error',
      comment: `every folder under packages/ must be in the zone table (${known.join(', ')})`,
      from: { path: '^packages/', pathNot: `^packages/(?:${alternatives(known)})/` },
      to: {},
    },
    {
      name: 'unknown-package',
      severity: 'error',
      comment: `every folder under packages/ must be in the zone table (${known.join(', ')})`,
      from: {
        orphan: true,
        path: '^packages/',
        pathNot: `^packages/(?:${alternatives(known)})/`,
      },
      to: {},
    },
  ];

  return {
    forbidden,
    options: {
      // Never parse installed code, built output, coverage reports or test fixtures (byte-exact
      // vendored vectors are data, not code), but keep every import of them as a dependency so
      // the rules still see it: doNotFollow, never exclude (excluded targets vanish from the graph,
      // which would let e.g. a relative import of another package's dist/ through unchecked).
      doNotFollow: {
        path: [
          '(?:^|/)node_modules/',
          '(?:^|/)dist/',
          '(?:^|/)coverage/',
          '^packages/[^/]+/test/fixtures/',
          '^(?:test|bench)/fixtures/',
          '^test/[^/]+/fixtures/',
        ],
      },
      moduleSystems: ['es6', 'cjs'],
      // Type-only imports are dependencies too: a type import across a boundary still couples.
      tsPreCompilationDeps: true,
      tsConfig: { fileName: resolveTsConfig(root) },
      // Resolve @clearance/* through the workspace symlink to the real path under packages/.
      preserveSymlinks: false,
      combinedDependencies: false,
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        // 'types' is deliberately absent: it points at dist/, which may not be built.
        conditionNames: ['clearance-source', 'import', 'require', 'node', 'default'],
        mainFields: ['module', 'main', 'types', 'typings'],
      },
      skipAnalysisNotInRules: true,
    },
  };
}

/**
 * The root tsconfig holding the shared compiler options. Fixture roots have none, so fall back
 * to the repository's own.
 * @param {string} root
 */
function resolveTsConfig(root) {
  const own = path.join(root, 'tsconfig.base.json');
  return fs.existsSync(own) ? own : path.join(__dirname, 'tsconfig.base.json');
}

const config = buildConfig(process.cwd());
Object.defineProperty(config, 'buildConfig', { value: buildConfig, enumerable: false });
Object.defineProperty(config, 'ZONES', { value: ZONES, enumerable: false });
Object.defineProperty(config, 'PLANNED_ZONES', { value: PLANNED_ZONES, enumerable: false });
Object.defineProperty(config, 'CRUISE_FOLDERS', { value: CRUISE_FOLDERS, enumerable: false });

module.exports = config;
