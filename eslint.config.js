// @ts-check
// ESLint 9 flat config: eslint's and typescript-eslint's recommended rules, without type-aware rules
// so that linting stays fast (tsc -b does the type checking). Svelte files are checked by svelte-check.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'dev-dist/', 'coverage/', 'test-results/', '.devnet/', '.tmp/']),
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    extends: [js.configs.recommended],
  },
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [tseslint.configs.recommended],
    rules: {
      // `const { signature: _s, ...rest } = tx` is how an object loses keys; `_` marks a name as unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          ignoreRestSiblings: true,
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Plain JavaScript here is Node code: tool configs and the bin/ launcher.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
]);
