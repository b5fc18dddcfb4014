// ESLint flat config. Besides typescript-eslint's recommended rules (not type-checked, to stay fast), it enforces
// the architecture (see DESIGN.md, "The one rule of the architecture"); test/unit/architecture.test.ts proves it.
//
// Flat config replaces (does not merge) a rule's options when several blocks match one file, so every file group
// below gets exactly one `no-restricted-imports` setting listing all the imports that group may not use.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** (a) Only src/vscode/** and src/extension.ts may import 'vscode'. */
const noVscode = {
  paths: [
    {
      name: 'vscode',
      message: "Only src/vscode/** and src/extension.ts may import 'vscode'; keep this logic testable on plain Node.",
    },
  ],
};

/** (b) Only src/apiserver/**, src/cluster/** and src/storage/** itself may import src/storage (tests may, too). */
const noStorage = {
  patterns: [
    {
      // Any relative path that goes through a directory named "storage": ./storage, ../storage/store,
      // ../../storage/sqljs/x, ../src/storage …
      regex: '^\\.{1,2}/(?:.*/)?storage(?:/|$)',
      message:
        'Only the API server touches storage: components are API clients (src/client). ' +
        'Only src/apiserver/**, src/cluster/** and src/storage/** may import src/storage.',
    },
  ],
};

/** Dynamic import('vscode') / require('vscode') are not seen by no-restricted-imports. */
const noDynamicVscode = [
  {
    selector: "ImportExpression[source.value='vscode']",
    message: "Only src/vscode/** and src/extension.ts may import 'vscode'.",
  },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
    message: "Only src/vscode/** and src/extension.ts may import 'vscode'.",
  },
];

const vscodeAllowed = ['src/vscode/**', 'src/extension.ts'];
const storageAllowed = ['src/apiserver/**', 'src/cluster/**', 'src/storage/**'];

export default defineConfig(
  globalIgnores(['dist/', 'dist-node/', 'media/', 'node_modules/', '**/*.vsix', '.kubelab-test/', 'tmp/']),
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
    },
  },

  // ── Architecture ────────────────────────────────────────────────────────────────────────────────────────────
  // Everything under src/ and webview/: neither vscode nor storage …
  {
    files: ['src/**', 'webview/**'],
    ignores: [...vscodeAllowed, ...storageAllowed],
    rules: {
      'no-restricted-imports': ['error', { ...noVscode, ...noStorage }],
      'no-restricted-syntax': ['error', ...noDynamicVscode],
    },
  },
  // … except the VS Code layer, which may import vscode but not storage …
  {
    files: vscodeAllowed,
    rules: {
      'no-restricted-imports': ['error', noStorage],
    },
  },
  // … and the API server, the composition root and the store itself, which may import storage but not vscode.
  {
    files: storageAllowed,
    rules: {
      'no-restricted-imports': ['error', noVscode],
      'no-restricted-syntax': ['error', ...noDynamicVscode],
    },
  },
  // Unit and conformance tests run on plain Node: no vscode (they may import storage).
  {
    files: ['test/unit/**', 'test/conformance/**'],
    rules: {
      'no-restricted-imports': ['error', noVscode],
      'no-restricted-syntax': ['error', ...noDynamicVscode],
    },
  },
);
