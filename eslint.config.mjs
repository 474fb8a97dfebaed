// Lint rules. Besides typescript-eslint's recommended set, import restrictions keep the three
// zones apart: `vscode` never enters the pure core, the shared protocol or the webview, and the
// webview never reaches into host code except `src/shared`.
// Shipped code never imports test-only code (`testing/` folders), and the host and the CLI use
// the core through each folder's index.ts, so a folder can rearrange its files without touching
// its users (tests may reach inside).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'The pure core, shared code and CLI never import vscode.' };
const NOT_TESTING = {
  regex: '(^|/)testing(/|$)',
  message: 'Test-only code (a testing/ folder) is not imported by shipped code.',
};
const CORE_THROUGH_INDEX = {
  regex: '(^|/)core/[^/]+/',
  message: 'Import the core through its folder (core/<folder>, its index.ts), not a file inside it.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      '.vscode-test/**',
      '*.vsix',
      'demo/workspace/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE] }] },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [NOT_TESTING] }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [NOT_TESTING, CORE_THROUGH_INDEX] }],
    },
  },
  {
    files: ['src/host/**/*.ts', 'src/extension.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NOT_TESTING, CORE_THROUGH_INDEX] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in a browser.' }],
          patterns: [
            {
              // At any depth (views/<name>/ are three levels down).
              group: ['**/src/*', '!**/src/shared'],
              message: 'The webview may only import src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'test/**/*.ts', 'test/**/*.js'],
    // Scripts and tests pass functions to page.evaluate(), which run in the browser.
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        requestAnimationFrame: 'readonly',
        cancelAnimationFrame: 'readonly',
        MessageChannel: 'readonly',
        MessageEvent: 'readonly',
        PerformanceObserver: 'readonly',
        getComputedStyle: 'readonly',
        HTMLElement: 'readonly',
        Event: 'readonly',
        KeyboardEvent: 'readonly',
        MouseEvent: 'readonly',
      },
    },
  },
);
