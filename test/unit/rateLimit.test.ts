/** The rate budget the node keeps per API key: every published window, a 429's pause, the deadline and Stop. */
import { RATE_LIMITS } from '../../nodes/PrivCards/contract';
import type { RouteName } from '../../nodes/PrivCards/contract';
import { BudgetRefusal, rateLimiterFor } from '../../nodes/PrivCards/transport/rateLimit';
import type { RateLimiter, Slot } from '../../nodes/PrivCards/transport/rateLimit';

let keyNumber = 0;
const freshLimiter = () =>
	rateLimiterFor('https://api.privcards.com/v1', `sk_test_unit${++keyNumber}`);
const NO_DEADLINE = { deadline: Number.MAX_SAFE_INTEGER };
const MINUTE = 60_000;

/** Asks for `count` starts at once; the slots granted so far, in the order granted. */
function ask(
	limiter: RateLimiter,
	route: RouteName,
	count: number,
	answerAtOnce = true,
	granted: Slot[] = [],
): Slot[] {
	for (let index = 0; index < count; index++) {
		void limiter.acquire(route, NO_DEADLINE).then((slot) => {
			granted.push(slot);
			if (answerAtOnce) slot.answered();
		});
	}
	return granted;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the rate budget of one API key', () => {
	it('starts at most the 1,000 requests a minute, the 1,001st a minute after the first was answered', async () => {
		const granted = ask(freshLimiter(), 'getCard', 1001);
		await jest.advanceTimersByTimeAsync(MINUTE - 1);
		expect(granted).toHaveLength(RATE_LIMITS.minute.max);
		await jest.advanceTimersByTimeAsync(1);
		expect(granted).toHaveLength(1001);
	});

	it('starts at most 10,000 requests an hour: the 10,001st waits for the first to leave the hour', async () => {
		const limiter = freshLimiter();
		const granted: Slot[] = [];
		for (let minute = 0; minute < 10; minute++) {
			ask(limiter, 'fundCard', 1000, true, granted);
			await jest.advanceTimersByTimeAsync(MINUTE);
		}
		expect(granted).toHaveLength(RATE_LIMITS.hour.max);
		const next = ask(limiter, 'getCard', 1);
		await jest.advanceTimersByTimeAsync(3_600_000 - 10 * MINUTE - 1);
		expect(next).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(next).toHaveLength(1);
	});

	it('starts at most 50 card creates a minute, while other routes go on', async () => {
		const limiter = freshLimiter();
		const creates = ask(limiter, 'createCard', 51);
		const gets = ask(limiter, 'getCard', 100);
		await jest.advanceTimersByTimeAsync(MINUTE - 1);
		expect([creates.length, gets.length]).toEqual([RATE_LIMITS.cardCreates.max, 100]);
		await jest.advanceTimersByTimeAsync(1);
		expect(creates).toHaveLength(51);
	});

	it('keeps Get Details to 30 a minute, apart from the other routes', async () => {
		const limiter = freshLimiter();
		const details = ask(limiter, 'getCardDetails', 31);
		const others = ask(limiter, 'getCard', 50);
		await jest.advanceTimersByTimeAsync(MINUTE - 1);
		expect([details.length, others.length]).toEqual([RATE_LIMITS.cardDetails.max, 50]);
		await jest.advanceTimersByTimeAsync(1);
		expect(details).toHaveLength(31);
	});

	it('counts a request that is still running: the API may count it at any moment until its answer', async () => {
		const limiter = freshLimiter();
		const running = ask(limiter, 'getCard', RATE_LIMITS.minute.max, false);
		const next = ask(limiter, 'getCard', 1);
		await jest.advanceTimersByTimeAsync(5 * MINUTE);
		expect([running.length, next.length]).toEqual([RATE_LIMITS.minute.max, 0]);
		running[0].answered();
		await jest.advanceTimersByTimeAsync(MINUTE - 1);
		expect(next).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(next).toHaveLength(1);
	});

	it('a request answered 429 counts in no window: its place is free at once', async () => {
		const limiter = freshLimiter();
		ask(limiter, 'getCard', RATE_LIMITS.minute.max - 1, false);
		const details = ask(limiter, 'getCardDetails', 1, false);
		await jest.advanceTimersByTimeAsync(0);
		details[0].rateLimited(0);
		const next = ask(limiter, 'getCard', 1);
		await jest.advanceTimersByTimeAsync(0);
		expect(next).toHaveLength(1);
	});

	it('a 429 on a fund holds every request of the key for its Retry-After', async () => {
		const limiter = freshLimiter();
		(await limiter.acquire('fundCard', NO_DEADLINE)).rateLimited(2_000);
		const held = ask(limiter, 'getCard', 1);
		ask(limiter, 'createCard', 1, true, held);
		ask(limiter, 'getCardDetails', 1, true, held);
		await jest.advanceTimersByTimeAsync(1_999);
		expect(held).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(held).toHaveLength(3);
	});

	it('a 429 on Get Details holds only Get Details: its own 30-a-minute budget', async () => {
		const limiter = freshLimiter();
		(await limiter.acquire('getCardDetails', NO_DEADLINE)).rateLimited(40_000);
		const others = ask(limiter, 'getCard', 1);
		ask(limiter, 'fundCard', 1, true, others);
		ask(limiter, 'createCard', 1, true, others);
		const details = ask(limiter, 'getCardDetails', 1);
		await jest.advanceTimersByTimeAsync(0);
		expect([others.length, details.length]).toEqual([3, 0]);
		await jest.advanceTimersByTimeAsync(40_000);
		expect(details).toHaveLength(1);
	});

	it('refuses at once, saying when the budget frees, a request that would wait past its deadline', async () => {
		const limiter = freshLimiter();
		const start = Date.now();
		ask(limiter, 'createCard', RATE_LIMITS.cardCreates.max);
		await jest.advanceTimersByTimeAsync(10_000);
		const refusal = await limiter
			.acquire('createCard', { deadline: Date.now() + 30_000 })
			.catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(BudgetRefusal);
		expect(refusal).toMatchObject({
			reason: 'wait',
			freeAt: start + MINUTE,
			window: 'cardCreates',
		});
		const waited = limiter.acquire('createCard', { deadline: Date.now() + 50_000 });
		await jest.advanceTimersByTimeAsync(50_000);
		await expect(waited).resolves.toBeDefined();
	});

	it('gives up a wait within a second of a Stop, and starts nothing after it', async () => {
		const limiter = freshLimiter();
		(await limiter.acquire('fundCard', NO_DEADLINE)).rateLimited(30_000);
		const stop = new AbortController();
		const outcome = limiter
			.acquire('fundCard', { ...NO_DEADLINE, signal: stop.signal })
			.catch((error: unknown) => error);
		await jest.advanceTimersByTimeAsync(2_000);
		stop.abort();
		await jest.advanceTimersByTimeAsync(1_000);
		await expect(outcome).resolves.toMatchObject({ reason: 'stopped' });
		await expect(
			limiter.acquire('getCard', { ...NO_DEADLINE, signal: stop.signal }),
		).rejects.toMatchObject({ reason: 'stopped' });
	});

	it('is one budget per base URL and key, shared by whoever asks for it', () => {
		expect(rateLimiterFor('https://a.example/v1', 'sk_test_shared')).toBe(
			rateLimiterFor('https://a.example/v1', 'sk_test_shared'),
		);
		expect(rateLimiterFor('https://a.example/v1', 'sk_test_shared')).not.toBe(
			rateLimiterFor('https://b.example/v1', 'sk_test_shared'),
		);
	});
});
