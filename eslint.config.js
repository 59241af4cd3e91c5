import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'temp/', 'node_modules/', '.bench/', 'test/fixtures/problems/syntax_error.test.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The framework examples: CommonJS where Jest wants it, and each framework's own globals.
    files: ['examples/frameworks/**/*.cjs', 'test/fixtures/node-test-cjs/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['examples/frameworks/jest/**'],
    languageOptions: { globals: { expect: 'readonly', test: 'readonly' } },
  },
  {
    files: ['examples/frameworks/mocha/**'],
    languageOptions: { globals: { describe: 'readonly', it: 'readonly' } },
  },
);
