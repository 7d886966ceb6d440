/**
 * What running the PrivCards node costs over talking to the API directly, measured in the same run against the
 * offline emulator: each scenario does the same API work twice, once with plain fetch (the baseline) and once
 * through the node in n8n-core's engine, and prints the ratio. Usage: `npm run bench [-- --cards 300 --rounds 3]`.
 */
import { ROUTES } from '../nodes/PrivCards/contract';
import type { Card, ListPage } from '../nodes/PrivCards/contract';
import { Client } from '../sandbox/client';
import { startEmulator } from '../sandbox/emulator';
import type { Emulator } from '../sandbox/emulator';
import { runNode } from '../test/harness/n8n';

interface Scenario {
	name: string;
	baseline(emulator: Emulator, cards: Card[]): Promise<void>;
	node(emulator: Emulator, cards: Card[]): Promise<void>;
}

function option(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	const value = index === -1 ? NaN : Number(process.argv[index + 1]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
}

async function api<T>(emulator: Emulator, method: string, path: string, body?: unknown, key?: string): Promise<T> {
	const headers = key === undefined ? undefined : { 'X-Idempotency-Key': key };
	const response = await new Client(emulator).request(method, path, { body, headers });
	if (response.status >= 300) throw new Error(`${method} ${path}: HTTP ${response.status}`);
	return response.body as T;
}

const credential = (emulator: Emulator) => ({ apiKey: emulator.testKey, baseUrl: emulator.baseUrl });

const scenarios: Scenario[] = [
	{
		name: 'fund every card once (one POST per card)',
		async baseline(emulator, cards) {
			for (const card of cards) {
				await api(emulator, 'POST', `/cards/${card.id}/fund`, { amount: 1 }, `bench-${Math.random()}`);
			}
		},
		async node(emulator, cards) {
			const result = await runNode(
				{
					parameters: {
						resource: 'funding',
						operation: 'fund',
						cardId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						amount: 1,
					},
				},
				{ credential: credential(emulator), input: cards.map(({ id }) => ({ id })) },
			);
			if (result.error !== undefined || result.items.length !== cards.length) throw new Error('fund run failed');
		},
	},
	{
		name: 'list every card (pages of 100)',
		async baseline(emulator, cards) {
			let listed = 0;
			for (let page = 1; ; page++) {
				const response = await api<ListPage<Card>>(emulator, 'GET', `${ROUTES.listCards.path}?page=${page}&per_page=100`);
				listed += response.data.length;
				if (!response.has_more) break;
			}
			if (listed !== cards.length) throw new Error('baseline listed the wrong number of cards');
		},
		async node(emulator, cards) {
			const result = await runNode(
				{ parameters: { resource: 'card', operation: 'getMany', returnAll: true } },
				{ credential: credential(emulator) },
			);
			if (result.items.length !== cards.length) throw new Error('getMany listed the wrong number of cards');
		},
	},
];

async function timed(work: () => Promise<void>): Promise<number> {
	const start = process.hrtime.bigint();
	await work();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Heap in use after a full collection (the script runs with --expose-gc), in MB. */
function settledHeapMb(): number {
	(globalThis as { gc?: () => void }).gc?.();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
	const cardCount = option('cards', 300);
	const rounds = option('rounds', 3);
	const emulator = await startEmulator({
		walletBalance: 1_000_000,
		generalRateLimit: { max: 1_000_000, windowMs: 1_000 },
	});
	try {
		const cards: Card[] = [];
		for (let index = 0; index < cardCount; index++) {
			cards.push(await api<Card>(emulator, 'POST', ROUTES.createCard.path, { bin_id: '491653', amount: 1 }, `seed-${index}`));
		}
		// One untimed pass of each, so that module loading and JIT warm-up count for neither side.
		for (const scenario of scenarios) {
			await scenario.baseline(emulator, cards);
			await scenario.node(emulator, cards);
		}
		console.log(`PrivCards node vs plain HTTP, ${cardCount} cards, median of ${rounds} rounds (offline emulator on loopback)`);
		for (const scenario of scenarios) {
			const baseline: number[] = [];
			const node: number[] = [];
			let heapGrowthMb = 0;
			for (let round = 0; round < rounds; round++) {
				baseline.push(await timed(() => scenario.baseline(emulator, cards)));
				const heapBefore = settledHeapMb();
				node.push(await timed(() => scenario.node(emulator, cards)));
				heapGrowthMb = Math.max(heapGrowthMb, settledHeapMb() - heapBefore);
			}
			const [base, ours] = [median(baseline), median(node)];
			console.log(
				`- ${scenario.name}: plain HTTP ${base.toFixed(0)} ms, node ${ours.toFixed(0)} ms, ratio ${(ours / base).toFixed(2)}x, ` +
					`${((ours - base) / cardCount).toFixed(2)} ms extra per card, heap kept after a node run ${heapGrowthMb.toFixed(1)} MB (the emulator's own records included)`,
			);
		}
	} finally {
		await emulator.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
