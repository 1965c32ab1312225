// ESLint flat config: @eslint/js and typescript-eslint recommended rules (syntax only, not type-aware: tsc
// already type-checks). `_`-prefixed names are exempt from no-unused-vars.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'build/', 'dist/', 'assembly/', '.bench/', '.tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Plain JS runs in Node (scripts, configs); TS files get no-undef checking from tsc instead.
  { files: ['**/*.{js,mjs,cjs}'], ignores: ['web/**'], languageOptions: { globals: globals.node } },
  { files: ['web/**/*.{js,mjs}'], languageOptions: { globals: globals.browser } },
);
