import { ROUTES } from '../../nodes/PrivCards/contract';
import { Latency } from '../../emulator/latency';
import { Timers } from '../../emulator/timers';
import { createCard, pathOf, useEmulator } from './helpers';

const FUND_MS = 150;

/** Which of two requests sent together is answered first. */
async function firstAnswered(requests: Record<string, Promise<unknown>>): Promise<string> {
	return await Promise.race(
		Object.entries(requests).map(async ([name, request]) => {
			await request;
			return name;
		}),
	);
}

async function elapsedMs(request: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await request();
	return performance.now() - start;
}

describe('emulator latency', () => {
	const bed = useEmulator({
		latency: [{ method: 'POST', path: ROUTES.fundCard.path, ms: FUND_MS }],
	});

	it('holds each request of the route for its latency, and no other route', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const fund = () => bed.client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), { amount: 5 });
		expect(await elapsedMs(fund)).toBeGreaterThanOrEqual(FUND_MS - 2);
		const funding = fund();
		const winner = await firstAnswered({
			fund: funding,
			wallet: bed.client.get(ROUTES.getWallet.path),
		});
		expect(winner).toBe('wallet');
		await funding;
		expect(bed.emulator.state.cards().find(({ id }) => id === card.id)?.balance).toBe(110);
	});

	it('changes at runtime: new rules for the requests that follow, [] for none', async () => {
		bed.emulator.setLatency([{ path: ROUTES.getWallet.path, ms: FUND_MS, jitterMs: 20 }]);
		expect(bed.emulator.latency).toEqual([
			{ path: ROUTES.getWallet.path, ms: FUND_MS, jitterMs: 20 },
		]);
		expect(await elapsedMs(() => bed.client.get(ROUTES.getWallet.path))).toBeGreaterThanOrEqual(
			FUND_MS - 2,
		);
		const card = await createCard(bed.client, { amount: 100 });
		expect(
			await firstAnswered({
				wallet: bed.client.get(ROUTES.getWallet.path),
				fund: bed.client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), { amount: 5 }),
			}),
		).toBe('fund');

		bed.emulator.setLatency([]);
		expect(bed.emulator.latency).toEqual([]);
		expect(
			await firstAnswered({
				fund: bed.client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), { amount: 5 }),
				never: new Promise((resolve) => setTimeout(resolve, FUND_MS)),
			}),
		).toBe('fund');
	});

	it('refuses a negative or non-numeric latency', () => {
		expect(() => bed.emulator.setLatency([{ ms: -1 }])).toThrow('latency "ms"');
		expect(() => bed.emulator.setLatency([{ ms: 1, jitterMs: Number.NaN }])).toThrow(
			'latency "jitterMs"',
		);
	});
});

describe('latency jitter', () => {
	it('adds up to the jitter at random, each request its own', () => {
		const latency = new Latency(new Timers(), [{ path: '/cards/{cardId}', ms: 40, jitterMs: 20 }]);
		const delays = Array.from({ length: 200 }, () => latency.delayMs('GET', '/cards/card_abc'));
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(40);
		expect(Math.max(...delays)).toBeLessThan(60);
		expect(new Set(delays).size).toBeGreaterThan(100);
		expect(latency.delayMs('GET', '/cards')).toBe(0);
	});
});
