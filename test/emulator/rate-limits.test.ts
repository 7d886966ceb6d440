/**
 * The emulator enforces the API's published rate limits per API key, every window at once, on a clock the test moves:
 * 1,000 requests a minute, 10,000 an hour, 50 card creates and 30 Get Details a minute; sliding windows, a refused
 * request counts in none, 429 `rate_limited` with Retry-After in whole seconds until the request would fit.
 */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { RateLimiter, scaledRateLimits } from '../../emulator/rate-limit';
import { createCard, expectError, pathOf, withEmulator } from './helpers';
import type { Client } from './helpers';

const MINUTE = 60_000;
const T0 = Date.parse('2026-04-15T12:00:00Z');

/** Sends `count` GETs one after another; the statuses answered. */
async function gets(client: Client, path: string, count: number): Promise<number[]> {
	const statuses: number[] = [];
	for (let index = 0; index < count; index++) statuses.push((await client.get(path)).status);
	return statuses;
}

describe('the published rate limits, per API key', () => {
	let time = T0;
	const clock = { rateLimitClock: () => time };
	beforeEach(() => {
		time = T0;
	});

	it('1,000 requests a minute: the 1,001st is refused with the seconds until the oldest leaves the window', async () => {
		await withEmulator(clock, async ({ client }) => {
			expect(await gets(client, ROUTES.listBins.path, 1000)).toEqual(
				Array.from({ length: 1000 }, () => 200),
			);
			time += 20_000;
			const refused = await client.get(ROUTES.listBins.path);
			expectError(refused, 429, 'rate_limited');
			expect(refused.headers.get('retry-after')).toBe('40');
			time = T0 + MINUTE - 1;
			expect((await client.get(ROUTES.listBins.path)).status).toBe(429);
			time = T0 + MINUTE;
			expect((await client.get(ROUTES.listBins.path)).status).toBe(200);
		});
	});

	it('a refused request counts in no window: a minute after the first 1,000, another 1,000 fit', async () => {
		await withEmulator(clock, async ({ client }) => {
			await gets(client, ROUTES.listBins.path, 1000);
			time += 30_000;
			expect(await gets(client, ROUTES.listBins.path, 5)).toEqual([429, 429, 429, 429, 429]);
			time = T0 + MINUTE;
			const again = await gets(client, ROUTES.listBins.path, 1001);
			expect(again.filter((status) => status === 200)).toHaveLength(1000);
			expect(again[1000]).toBe(429);
		});
	});

	it('50 card creates a minute, counted in the minute too; other routes go on', async () => {
		await withEmulator(clock, async ({ client }) => {
			for (let index = 0; index < 50; index++) await createCard(client, { amount: 1 });
			const refused = await client.post(ROUTES.createCard.path, { bin_id: '491653', amount: 1 });
			expectError(refused, 429, 'rate_limited');
			expect(refused.headers.get('retry-after')).toBe('60');
			expect((await client.get(ROUTES.listCards.path)).status).toBe(200);
			expect(await gets(client, ROUTES.listBins.path, 949)).toEqual(
				Array.from({ length: 949 }, () => 200),
			);
			expect((await client.get(ROUTES.listBins.path)).status).toBe(429);
			time = T0 + MINUTE;
			await createCard(client, { amount: 1 });
		});
	});

	it('30 Get Details a minute, while other routes go on', async () => {
		await withEmulator(clock, async ({ client }) => {
			const card = await createCard(client);
			const details = pathOf(ROUTES.getCardDetails, { cardId: card.id });
			expect(await gets(client, details, 31)).toEqual([
				...Array.from({ length: 30 }, () => 200),
				429,
			]);
			expect((await client.get(pathOf(ROUTES.getCard, { cardId: card.id }))).status).toBe(200);
			time = T0 + MINUTE;
			expect((await client.get(details)).status).toBe(200);
		});
	});

	it('10,000 requests an hour: the 10,001st is refused until the first leaves the hour', () => {
		const limiter = new RateLimiter({}, () => time);
		const route = ROUTES.listBins;
		for (let minute = 0; minute < 10; minute++) {
			time = T0 + minute * MINUTE;
			for (let index = 0; index < 1000; index++)
				expect(limiter.take('sk_test_hour', route)).toBeUndefined();
		}
		time = T0 + 10 * MINUTE;
		expect(limiter.take('sk_test_hour', route)).toEqual({ retryAfterSeconds: 50 * 60 });
		expect(limiter.take('sk_test_other', route)).toBeUndefined();
		time = T0 + 60 * MINUTE - 1;
		expect(limiter.take('sk_test_hour', route)).toEqual({ retryAfterSeconds: 1 });
		time = T0 + 60 * MINUTE;
		expect(limiter.take('sk_test_hour', route)).toBeUndefined();
	});

	it('scales for quick trials: counts (npm run sandbox -- --rate-limit-scale) and window lengths', () => {
		expect(scaledRateLimits({ count: 0.01 })).toEqual({
			minute: { max: 10, windowMs: MINUTE },
			hour: { max: 100, windowMs: 60 * MINUTE },
			cardCreates: { max: 1, windowMs: MINUTE },
			cardDetails: { max: 1, windowMs: MINUTE },
		});
		expect(scaledRateLimits({ time: 0.01 }).hour).toEqual({ max: 10_000, windowMs: 36_000 });
	});
});
