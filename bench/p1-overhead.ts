/** P1: the node's overhead per request, against a bare keep-alive HTTP loop doing the same gets. */

import { ROUTES } from '../nodes/PrivCards/contract';
import { pathOf } from '../emulator/client';
import { rateLimiterFor } from '../nodes/PrivCards/transport/rateLimit';
import { NO_RATE_LIMITS } from '../emulator/emulator';
import { runNode } from '../harness/n8n';
import { BareClient, createCards, expectStatus } from './client';
import { byId, credential, goal, perSecond, rate, timedMs, times, withEmulator } from './measure';

export async function p1Overhead(gets: number): Promise<void> {
	// The node's own budget out of the way (its windows scaled to nothing), as the emulator's limits are: P1 is the
	// overhead per request; 2,000 gets at the published 1,000 a minute would only show that limit.
	await withEmulator({ rateLimits: NO_RATE_LIMITS }, async (emulator) => {
		rateLimiterFor(emulator.baseUrl, emulator.testKey, { windowScale: 1e-9 });
		const client = new BareClient(emulator);
		const [card] = await createCards(client, 1, 10);
		const cardPath = pathOf(ROUTES.getCard, { cardId: card.id });
		const bareLoop = async (items: number) => {
			for (let index = 0; index < items; index++)
				expectStatus(await client.send('GET', cardPath), 200, 'card.get');
		};
		const nodeRun = async (items: number) => {
			const result = await runNode(
				{
					parameters: {
						resource: 'card',
						operation: 'get',
						cardId: byId,
						options: { concurrency: 1 },
					},
				},
				{
					credential: credential(emulator),
					input: Array.from({ length: items }, () => ({ id: card.id })),
				},
			);
			if (result.error !== undefined || result.items.length !== items)
				throw new Error(`card.get run failed: ${result.error?.message}`);
		};
		// One untimed pass of each, so that module loading and JIT warm-up count for neither side.
		await bareLoop(200);
		await nodeRun(200);
		const bare = perSecond(gets, await timedMs(() => bareLoop(gets)));
		const node = perSecond(gets, await timedMs(() => nodeRun(gets)));
		client.close();
		console.log(`P1 overhead: ${gets} card.get, concurrency 1, no latency`);
		console.log(
			`  bare keep-alive HTTP loop ${rate(bare)}, PrivCards node ${rate(node)}: ${times(node / bare)} the items/s`,
		);
		console.log("  (the rate limits off on both sides: the node's budget and the emulator's)");
		goal('≥ 0.8× the bare loop', node / bare >= 0.8);
	});
}
