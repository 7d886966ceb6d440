// `npm run n8n:install -- [--n8n <version>]... [--all]`: warms the install cache (install.ts) and prints the paths.
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { ensureRealN8n, N8N_VERSION, TESTED_N8N_VERSIONS } from './install';

const USAGE = `npm run n8n:install -- [--n8n <version>]... [--all] [--npm-cache <dir>]
  --n8n <version>    an n8n version to install (repeatable; default ${N8N_VERSION})
  --all              every version the end-to-end suites use (${TESTED_N8N_VERSIONS.join(', ')}), in parallel
  --npm-cache <dir>  npm cache folder of its own (an empty one measures a cold install)
  -h, --help         this text
`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			n8n: { type: 'string', multiple: true },
			all: { type: 'boolean', default: false },
			'npm-cache': { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false },
		},
		strict: true,
		allowPositionals: false,
	});
	if (values.help) {
		process.stdout.write(USAGE);
		return;
	}
	const versions = [
		...new Set([...(values.all ? TESTED_N8N_VERSIONS : []), ...(values.n8n ?? [])]),
	];
	if (versions.length === 0) versions.push(N8N_VERSION);
	const ac = new AbortController();
	process.once('SIGINT', () => ac.abort());
	process.once('SIGTERM', () => ac.abort());
	const npmCache = values['npm-cache'] ? path.resolve(values['npm-cache']) : undefined;
	const results = await Promise.all(
		versions.map(async (version) => {
			const t = Date.now();
			const tag = versions.length > 1 ? `[n8n ${version}] ` : '';
			const r = await ensureRealN8n({
				version,
				signal: ac.signal,
				npmCache,
				log: (line) => process.stderr.write(`${tag}${line}\n`),
			});
			return { ...r, env: undefined, ms: Date.now() - t };
		}),
	);
	process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
}

main().catch((e: unknown) => {
	process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
	process.exitCode = 1;
});
