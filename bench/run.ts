/**
 * `npm run bench`: P1–P4 against the offline emulator, each figure beside a baseline measured in the same run (a bare
 * loop doing the same API work without n8n, or the floor the API's published rate limits set), with the ratio and the
 * goal; then P5 (bench/real-n8n.ts) in a real n8n. Options: `--only P1,P2C,P3` (any of P1, P2C, P2, P3, P4, P5),
 * `--skip-n8n` (no P5), and the counts `--gets 2000` `--creates 100` `--funds 1500` `--transactions 20000`
 * `--events 2000`. Runs with --expose-gc for the heap figures.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { p1Overhead } from './p1-overhead';
import { p2BulkCreates } from './p2-creates';
import { p2BulkFunding } from './p2-funding';
import { p3ReturnAll } from './p3-return-all';
import { p4Trigger } from './p4-trigger';

const { values } = parseArgs({
	options: {
		only: { type: 'string', default: 'P1,P2C,P2,P3,P4,P5' },
		'skip-n8n': { type: 'boolean', default: false },
		gets: { type: 'string', default: '2000' },
		creates: { type: 'string', default: '100' },
		funds: { type: 'string', default: '1500' },
		transactions: { type: 'string', default: '20000' },
		events: { type: 'string', default: '2000' },
	},
	strict: true,
});

function count(name: 'gets' | 'creates' | 'funds' | 'transactions' | 'events'): number {
	const value = Number(values[name]);
	if (!Number.isInteger(value) || value < 1)
		throw new Error(`--${name}: not a count: "${values[name]}"`);
	return value;
}

const selected = new Set(
	values.only
		.toUpperCase()
		.split(',')
		.map((part) => part.trim()),
);
if (values['skip-n8n']) selected.delete('P5');

/** P5 runs as its own script: it installs and starts a real n8n (see bench/real-n8n.ts). */
function p5RealN8n(): void {
	console.log('P5 real n8n: bench/real-n8n.ts (npm run bench:n8n)');
	const { status } = spawnSync(process.execPath, [join(__dirname, 'real-n8n.js')], {
		stdio: 'inherit',
	});
	if (status !== 0) process.exitCode = 1;
}

async function main(): Promise<void> {
	console.log(`npm run bench on Node.js ${process.version}, the offline emulator on loopback`);
	if (selected.has('P1')) await p1Overhead(count('gets'));
	if (selected.has('P2C')) await p2BulkCreates(count('creates'));
	if (selected.has('P2')) await p2BulkFunding(count('funds'));
	if (selected.has('P3')) await p3ReturnAll(count('transactions'));
	if (selected.has('P4')) await p4Trigger(count('events'));
	if (selected.has('P5')) p5RealN8n();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
