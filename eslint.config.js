// Lint rules: the recommended sets of ESLint and typescript-eslint; the type checker (npm run typecheck) does the rest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(js.configs.recommended, ...tseslint.configs.recommended, {
  ignores: ['dist/', 'node_modules/', 'src/web/app/dist/'],
});
