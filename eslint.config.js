// Lint rules: the recommended sets of ESLint and typescript-eslint; the type checker (npm run typecheck) does the rest.
// Plain JavaScript files (bin/, scripts/) run in Node and may use its globals.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  { ignores: ['dist/', 'node_modules/', 'src/web/app/dist/', 'test-output/'] },
);
