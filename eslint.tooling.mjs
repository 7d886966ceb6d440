// The lint rules for the tooling that is never published and never runs inside n8n (emulator/, real-n8n/, test/, bench/):
// n8n's community-node rules, minus the ones that forbid what plain Node tooling is for (node:* imports,
// process and timers, plain Errors, child processes, the console).
//
// Why not a `files:` override in eslint.config.mjs: `"strict": true` makes `n8n-node lint` refuse any
// eslint.config.mjs that differs from the one the CLI generates. So the root config stays as generated (it
// lints nodes/ and credentials/), and `npm run lint` turns on ESLint's per-folder config lookup (the flag
// v10_config_lookup_from_file, ESLint 10's default), under which emulator/, real-n8n/, test/ and bench/ each have an
// eslint.config.mjs that re-exports this file. `npm run scan` (n8n's own scanner) still checks nodes/ and
// credentials/ with n8n's rules, whatever the lint configuration says.
import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{
		files: ['**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'no-console': 'off',
		},
	},
];
