// ESLint flat config: TypeScript + Vue, zero warnings allowed (npm run lint uses --max-warnings 0),
// and the layering rules of ARCHITECTURE.md enforced as import restrictions.
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os',
  'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib'
];

/** `src/shared` is pure TypeScript: no Node, no Electron, nothing from main, preload or renderer. */
const sharedLayer = {
  patterns: [
    { group: ['node:*', ...nodeBuiltins], message: 'src/shared must not import Node modules.' },
    { group: ['electron', 'electron/*'], message: 'src/shared must not import Electron.' },
    { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/shared imports nothing from other layers.' },
    { group: ['onnxruntime-node', 'sharp', 'chokidar', 'ws'], message: 'src/shared must not import native or Node-only packages.' }
  ]
};

/** The renderer is untrusted browser code: it may import only `src/shared` among the app layers. */
const rendererLayer = {
  patterns: [
    { group: ['node:*', ...nodeBuiltins], message: 'The renderer runs sandboxed: no Node modules.' },
    { group: ['electron', 'electron/*'], message: 'The renderer talks to main only through window.zoe.' },
    { group: ['**/main/**', '**/preload/**'], message: 'The renderer imports only src/shared.' },
    { group: ['onnxruntime-node', 'sharp', 'chokidar', 'ws'], message: 'Node-only packages cannot run in the renderer.' }
  ]
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'tests/fixtures/**', 'bench/models/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } }
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  {
    files: ['src/renderer/**/*.{ts,vue}', 'tests/web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } }
  },
  { files: ['src/shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', sharedLayer] } },
  { files: ['src/renderer/**/*.{ts,vue}'], rules: { 'no-restricted-imports': ['error', rendererLayer] } },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
);
