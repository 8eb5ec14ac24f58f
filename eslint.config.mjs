// ESLint flat config. TypeScript gets typed linting (typescript-eslint recommendedTypeChecked);
// plain .js/.mjs/.cjs files get @eslint/js recommended without type information.
//
// Typed linting finds each file's program like this:
// - packages/*/src/**: the project service (each package's tsconfig.json includes src/**).
// - tests, bench, vitest.config.ts: tsconfig.test.json. The project service cannot serve them:
//   no tsconfig.json covers those folders and its default project refuses `**` globs.
// - scripts/**/*.ts: the project service's default project (scripts are .mjs today).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

const SRC = ['packages/*/src/**/*.{ts,mts,cts,tsx}'];
const TESTS = [
  'packages/*/test/**/*.{ts,mts,cts,tsx}',
  'test/**/*.{ts,mts,cts}',
  'bench/**/*.{ts,mts,cts}',
  'vitest.config.ts',
];
const SCRIPTS_TS = ['scripts/**/*.{ts,mts,cts}'];
const TS = [...SRC, ...TESTS, ...SCRIPTS_TS];
const JS = ['**/*.{js,mjs,cjs}'];

// Tests, bench and vitest.config.ts are typed through tsconfig.test.json. If it is missing (a
// fresh checkout mid-refactor), fall back to the project service's default project instead of
// failing every file with a parser error.
const TEST_TSCONFIG = 'tsconfig.test.json';
const testParserOptions = existsSync(path.join(root, TEST_TSCONFIG))
  ? { project: [`./${TEST_TSCONFIG}`], projectService: false }
  : {
      projectService: {
        allowDefaultProject: ['vitest.config.ts'],
        defaultProject: 'tsconfig.base.json',
      },
    };

/** Every typescript-eslint rule of the no-unsafe-* family, present and future. */
const NO_UNSAFE_FAMILY = Object.keys(tseslint.plugin.rules ?? {}).filter((name) =>
  name.startsWith('no-unsafe-'),
);
/** @param {'error' | 'off'} level */
const noUnsafe = (level) =>
  Object.fromEntries(NO_UNSAFE_FAMILY.map((name) => [`@typescript-eslint/${name}`, level]));

/** Rules shared by every file, typed or not. */
const COMMON_RULES = {
  eqeqeq: ['error', 'always'],
  'no-eval': 'error',
  'no-new-func': 'error',
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.type='Identifier'][callee.name='eval']",
      message: 'eval is forbidden.',
    },
    {
      selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='eval']",
      message: 'eval is forbidden (also through globalThis/window).',
    },
    {
      selector: "NewExpression[callee.type='Identifier'][callee.name='Function']",
      message: 'new Function is forbidden.',
    },
    {
      selector: "CallExpression[callee.type='Identifier'][callee.name='Function']",
      message: 'Function(...) is forbidden: it is new Function.',
    },
  ],
};

const UNUSED_VARS = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
};

export default defineConfig([
  globalIgnores([
    '**/dist/**',
    'packages/authority/engines/**',
    '**/node_modules/**',
    '**/test/fixtures/**',
    'test/boundaries/fixtures/**',
    '**/coverage/**',
    'test-output/**',
    'bench/results/**',
    '.clearance/**',
    'packages/protocol/schema/**',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Plain JavaScript: no type information.
  {
    files: JS,
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      ...COMMON_RULES,
      'no-unused-vars': ['error', UNUSED_VARS],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // TypeScript, typed.
  {
    files: TS,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['scripts/*.ts'] },
        tsconfigRootDir: root,
      },
    },
    rules: {
      ...COMMON_RULES,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      // verbatimModuleSyntax keeps `import { type X } from 'y'` as a side-effect import.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', UNUSED_VARS],
    },
  },
  {
    files: TESTS,
    languageOptions: { parserOptions: testParserOptions },
    rules: {
      // Tests poke at untyped values (parsed JSON, mocks); the no-unsafe-* family is relaxed.
      ...noUnsafe('off'),
      // A sparse array literal in a test is always a deliberate edge case (canonical JSON...).
      'no-sparse-arrays': 'off',
    },
  },
  {
    // The authoritative zone: every no-unsafe-* rule is an error, including those outside
    // recommendedTypeChecked (no-unsafe-type-assertion, ...). Tests keep the relaxation above.
    files: ['packages/authority/src/**/*.{ts,mts,cts}'],
    rules: {
      ...noUnsafe('error'),
    },
  },
]);
