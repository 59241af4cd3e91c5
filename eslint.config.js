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
    files: [
      'examples/frameworks/**/*.cjs',
      'test/fixtures/node-test-cjs/**/*.js',
      'test/fixtures/node-test-cjs-leak/**/*.js',
      'test/fixtures/mocha-project/**/*.js',
      'examples/existing-suites/mocha/**/*.js',
    ],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/fixtures/mocha-project/**/*.js', 'examples/existing-suites/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', setTimeout: 'readonly', setImmediate: 'readonly', globalThis: 'readonly' } },
  },
  {
    files: ['examples/frameworks/jest/**'],
    languageOptions: { globals: { expect: 'readonly', test: 'readonly' } },
  },
  {
    files: ['examples/frameworks/mocha/**', 'test/fixtures/mocha-project/spec/shop.spec.js', 'examples/existing-suites/mocha/**'],
    languageOptions: {
      globals: {
        describe: 'readonly',
        it: 'readonly',
        before: 'readonly',
        after: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
      },
    },
  },
);
