// `npm run lint`: module boundaries between the Nx projects (tags in each project.json) and the
// typescript-eslint recommended rules, over apps, libs, integration-tests and infrastructure.
// The boundary rule reads Nx's cached project graph and silently skips without one, so
// `npm run lint` computes it first (`nx show projects`).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// A leading underscore marks a name left unused on purpose (Express's four-argument error
// handler; `const { secret: _, ...rest }` to drop a field).
const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }];

export default tseslint.config(
  { ignores: ['**/node_modules/', 'dist/', 'coverage/', '.cache/', '.nx/', '**/cdk.out/'] },

  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: globals.node, ecmaVersion: 'latest', sourceType: 'module' },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    // The Lambda handlers and the container health probe are plain CommonJS.
    files: ['infrastructure/lib/platform-functions/handlers/**/*.js', 'infrastructure/docker/healthcheck.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-unused-vars': unusedVars },
  },
  {
    // Test clients hand back JSON bodies of whatever shape the call returns, and the assertions
    // check that shape; typing each body would add a cast per assertion and check nothing more.
    files: ['integration-tests/**/*.ts', 'apps/*/src/testing/**/*.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          // The local infrastructure scripts (private Redis, Kafka, service processes) are no Nx
          // project; tests and benchmarks start them by path.
          allow: ['/infrastructure/local/[a-z-]+\\.mjs$'],
          depConstraints: [
            // Apps talk to each other over HTTP, gRPC and Kafka, never by import.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
);
