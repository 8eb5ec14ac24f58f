// The advisory identifier scan of DESIGN.md ("Packages and trust zones"): a static scan of
// packages/advisory that a dependency graph cannot express. It parses every source file (with the
// TypeScript parser: comments are not code, so only identifiers, property names and string or
// template literals are looked at) and reports
//   advisory-forbidden-identifier  a name (or a string, e.g. a route '/approve') whose words hold an
//                                  authoritative verb: approve, reject, takeoff, generateToolpaths...
//   advisory-no-fs-write           node:fs imported in any form (static, re-export, import(),
//                                  require) or an fs write function named (writeFileSync...)
//   advisory-no-child-process      child_process imported in any form or a spawning function named
//   advisory-no-dynamic-load       import()/require() of anything but a literal protocol/client
//                                  face or a file inside packages/advisory (a computed specifier
//                                  cannot be checked, so it is refused), and createRequire
// Tests (packages/advisory/test) are not shipped and are not scanned; their imports are still
// cruised by dependency-cruiser.
//
// API: scanAdvisory(root) -> [{ rule, from, to }]   (root holds packages/advisory)

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

const ADVISORY = 'packages/advisory';
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'test']);

/**
 * Authoritative operations, as word sequences: an identifier or string whose words contain one of
 * these sequences (case-insensitive, camelCase, snake_case, kebab-case and paths split into words)
 * is refused. `rejected` or `approval` are other words and pass; `approveWorkflow`, `take_off`,
 * `/workflows/x/approve` do not.
 */
export const FORBIDDEN_IDENTIFIERS = Object.freeze([
  'approve',
  'reject',
  'takeoff',
  'take off',
  'generate toolpaths',
  'persist run',
  'create run',
  'store feasibility',
  'transition',
  'release gcode',
  'manufacture job',
  'sign approval',
  // The supervisor's unlock of a YELLOW/RED job (client.override): authoritative, never advisory.
  'override',
]);

/** Module specifiers of the file-system modules (any form). */
const FS_MODULES = /^(?:node:)?fs(?:\/promises)?$/;
/** Module specifiers of the process-spawning modules. */
const SPAWN_MODULES = /^(?:node:)?(?:child_process|cluster|worker_threads)$/;

/** fs functions that write, create, remove, rename or change permissions. */
const FS_WRITE_NAMES = new Set(
  [
    'writeFile',
    'appendFile',
    'createWriteStream',
    'mkdir',
    'mkdtemp',
    'rmdir',
    'unlink',
    'rename',
    'copyFile',
    'cpSync',
    'symlink',
    'chmod',
    'chown',
    'lchown',
    'truncate',
    'ftruncate',
    'utimes',
    'rmSync',
    'linkSync',
  ].flatMap((name) => (name.endsWith('Sync') ? [name] : [name, `${name}Sync`])),
);

/**
 * The text of a string expression built only from literals (`'appr' + 'ove'`, `${'take'}off`), or
 * undefined when any part is computed: a name assembled from pieces is scanned as the whole.
 * @param {ts.Node} node
 * @returns {string | undefined}
 */
function staticText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return staticText(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = staticText(node.left);
    const right = left === undefined ? undefined : staticText(node.right);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = staticText(span.expression);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  return undefined;
}

/** Functions that start processes. */
const SPAWN_NAMES = new Set(['spawn', 'spawnSync', 'execSync', 'execFile', 'execFileSync', 'fork']);

/** Workspace faces advisory may load (DESIGN.md: protocol, client — nothing else). */
const ALLOWED_WORKSPACE = /^@clearance\/(?:protocol|client)$/;

/**
 * The lower-case words of a name or text: split at non-alphanumerics and camelCase humps
 * (`generateToolpaths` → generate toolpaths, `HTTPApprove` → http approve).
 * @param {string} text
 */
export function wordsOf(text) {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

const FORBIDDEN_SEQUENCES = FORBIDDEN_IDENTIFIERS.map((entry) => entry.split(' '));

/**
 * The forbidden identifier `text` names, if any.
 * @param {string} text
 * @returns {string | undefined}
 */
export function forbiddenIn(text) {
  const words = wordsOf(text);
  for (const sequence of FORBIDDEN_SEQUENCES) {
    for (let i = 0; i + sequence.length <= words.length; i += 1) {
      if (sequence.every((word, k) => words[i + k] === word)) return sequence.join(' ');
    }
  }
  return undefined;
}

/**
 * Files under packages/advisory to scan (posix paths relative to root), tests excluded.
 * @param {string} root
 */
function advisoryFiles(root) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} relative */
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(child);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
        files.push(child);
      }
    }
  };
  walk(ADVISORY);
  return files.sort();
}

/**
 * Why a literal specifier loaded at run time is internal (or undefined when it is allowed).
 * @param {string} file posix path of the importing file, relative to root
 * @param {string} specifier
 */
function internalPath(file, specifier) {
  if (ALLOWED_WORKSPACE.test(specifier)) return undefined;
  if (specifier.startsWith('@clearance/')) return 'another workspace package or its internals';
  if (
    specifier.startsWith('/') ||
    /^[a-zA-Z]:[\\/]/.test(specifier) ||
    specifier.startsWith('file:')
  ) {
    return 'an absolute path';
  }
  if (specifier.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return target.startsWith(`${ADVISORY}/`) ? undefined : 'a path outside packages/advisory';
  }
  return undefined; // a bare npm or node: name: the dependency-cruiser rules judge those
}

/**
 * Scan one source text.
 * @param {string} file posix path relative to root (reported as `from`)
 * @param {string} text
 * @returns {{ rule: string, from: string, to: string }[]}
 */
export function scanSource(file, text) {
  /** @type {{ rule: string, from: string, to: string }[]} */
  const findings = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  /**
   * @param {string} rule
   * @param {ts.Node} node
   * @param {string} to
   */
  const report = (rule, node, to) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    findings.push({ rule, from: `${file}:${line + 1}`, to });
  };
  /** @param {ts.Node} node @param {string} specifier */
  const checkModule = (node, specifier) => {
    if (FS_MODULES.test(specifier)) report('advisory-no-fs-write', node, specifier);
    if (SPAWN_MODULES.test(specifier)) report('advisory-no-child-process', node, specifier);
  };
  /** @param {ts.Node} node @param {string} text */
  const checkWords = (node, text) => {
    const hit = forbiddenIn(text);
    if (hit !== undefined)
      report('advisory-forbidden-identifier', node, `${hit} (${JSON.stringify(text)})`);
  };

  /** Module specifier literals already judged by their import, export or load. */
  const judged = new Set();
  /** @param {ts.Node} node @param {string} specifier */
  const judgeModule = (node, specifier) => {
    judged.add(node);
    checkModule(node, specifier);
  };

  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const name = node.text;
      checkWords(node, name);
      // `require` other than called directly (`const load = require`) hides what it loads, and
      // process.getBuiltinModule loads a built-in (child_process, fs) without an import.
      const called = ts.isCallExpression(node.parent) && node.parent.expression === node;
      const member = ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node;
      if (
        name === 'require' &&
        !called &&
        !member &&
        !(ts.isVariableDeclaration(node.parent) && node.parent.name === node)
      ) {
        report('advisory-no-dynamic-load', node, 'require used as a value');
      }
      if (name === 'getBuiltinModule') report('advisory-no-dynamic-load', node, name);
      if (FS_WRITE_NAMES.has(name)) report('advisory-no-fs-write', node, name);
      if (SPAWN_NAMES.has(name)) report('advisory-no-child-process', node, name);
      if (name === 'createRequire') report('advisory-no-dynamic-load', node, name);
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      checkWords(node, node.text);
      // A built-in module named anywhere (process.getBuiltinModule('node:child_process'), an
      // aliased loader) is reported as if imported.
      if (ts.isStringLiteralLike(node) && !judged.has(node)) checkModule(node, node.text);
    }
    if (
      (ts.isBinaryExpression(node) || ts.isTemplateExpression(node)) &&
      !(ts.isBinaryExpression(node.parent) && staticText(node.parent) !== undefined)
    ) {
      const whole = staticText(node);
      if (whole !== undefined) checkWords(node, whole);
    }

    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      judgeModule(node.moduleSpecifier, node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      judgeModule(node.moduleReference.expression, node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node)) {
      const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const requireCall =
        (ts.isIdentifier(node.expression) && node.expression.text === 'require') ||
        (ts.isPropertyAccessExpression(node.expression) &&
          ts.isIdentifier(node.expression.expression) &&
          node.expression.expression.text === 'require');
      if (dynamicImport || requireCall) {
        const [argument] = node.arguments;
        const kind = dynamicImport ? 'import()' : 'require';
        if (argument === undefined || !ts.isStringLiteralLike(argument)) {
          report('advisory-no-dynamic-load', node, `${kind} of a computed specifier`);
        } else {
          judgeModule(argument, argument.text);
          const why = internalPath(file, argument.text);
          if (why !== undefined) {
            report('advisory-no-dynamic-load', node, `${kind} ${argument.text} (${why})`);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/**
 * Scan packages/advisory under `root` (which must exist).
 * @param {string} root
 */
export function scanAdvisory(root) {
  return advisoryFiles(root).flatMap((file) =>
    scanSource(file, readFileSync(path.join(root, file), 'utf8')),
  );
}
