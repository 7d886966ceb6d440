/** P3: Return All over a long transaction list, time and peak heap, against a bare paging loop. */

import { ROUTES } from '../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../emulator/sandbox-routes';
import type { ListPage } from '../nodes/PrivCards/contract';
import type { Emulator } from '../emulator/emulator';
import { runNode } from '../harness/n8n';
import { BareClient, createCards, expectStatus } from './client';
import { credential, goal, peakHeapMb, seconds, SETUP_KEY, times, withEmulator } from './measure';

const PAGE_LATENCY_MS = 25;

async function seedTransactions(emulator: Emulator, transactions: number): Promise<void> {
	const setup = new BareClient(emulator, SETUP_KEY);
	const perCard = 4_000;
	const cards = await createCards(setup, Math.ceil(transactions / perCard), 5000);
	const merchant = { name: 'META ADS', category: 'advertising' };
	const inParallel = 64;
	for (let done = 0; done < transactions; done += inParallel) {
		await Promise.all(
			Array.from({ length: Math.min(inParallel, transactions - done) }, async (_, offset) => {
				const card = cards[Math.floor((done + offset) / perCard)];
				const answer = await setup.send('POST', SANDBOX_ROUTES.authorize.path, {
					card_id: card.id,
					amount: 1,
					merchant,
				});
				expectStatus(answer, 201, 'authorize');
			}),
		);
	}
	setup.close();
}

export async function p3ReturnAll(transactions: number): Promise<void> {
	await withEmulator({ walletBalance: 10_000_000 }, async (emulator) => {
		await seedTransactions(emulator, transactions);
		emulator.setLatency([
			{ method: 'GET', path: ROUTES.listTransactions.path, ms: PAGE_LATENCY_MS },
		]);
		const pages = Math.ceil(transactions / 100);
		const client = new BareClient(emulator);
		let bareListed = 0;
		const bare = await peakHeapMb(async () => {
			const records: unknown[] = [];
			for (let page = 1; ; page++) {
				const body = expectStatus(
					await client.send('GET', `${ROUTES.listTransactions.path}?page=${page}&per_page=100`),
					200,
					'list',
				) as ListPage<unknown>;
				records.push(...body.data);
				if (body.has_more !== true) break;
			}
			bareListed = records.length;
		});
		client.close();
		emulator.clearRequests();
		let nodeListed = 0;
		const node = await peakHeapMb(async () => {
			const result = await runNode(
				{ parameters: { resource: 'transaction', operation: 'getMany', returnAll: true } },
				{ credential: credential(emulator) },
			);
			if (result.error !== undefined) throw result.error;
			nodeListed = result.items.length;
		});
		const requests = emulator.requests.length;
		console.log(`P3 Return All: ${transactions} transactions, ${PAGE_LATENCY_MS} ms a page`);
		console.log(
			`  bare sequential paging loop ${seconds(bare.ms)} (${bareListed} listed, peak heap +${bare.peakMb.toFixed(1)} MB)`,
		);
		console.log(
			`  PrivCards node ${seconds(node.ms)} (${nodeListed} listed, ${requests} requests, peak heap +${node.peakMb.toFixed(1)} MB): ${times(node.ms / bare.ms)} the loop's time`,
		);
		goal(
			`exactly ${pages} requests, every transaction`,
			requests === pages && nodeListed === transactions,
		);
		goal("≤ 0.25× the loop's time", node.ms / bare.ms <= 0.25);
	});
}
