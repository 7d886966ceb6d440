/** The rate budget the node keeps per API key: the contract's limits, a 429's pause, slowing down and recovering. */
import { RATE_LIMITS } from '../../nodes/PrivCards/contract';
import type { RouteName } from '../../nodes/PrivCards/contract';
import { rateLimiterFor } from '../../nodes/PrivCards/transport/rateLimit';
import type { Slot } from '../../nodes/PrivCards/transport/rateLimit';

let keyNumber = 0;
const freshLimiter = () => rateLimiterFor('https://api.privcards.com/v1', `sk_test_unit${++keyNumber}`);

/** Asks for `count` starts at once; the slots granted so far, in the order granted. */
function ask(limiter: ReturnType<typeof freshLimiter>, route: RouteName, count: number, answerAtOnce = true): Slot[] {
	const granted: Slot[] = [];
	for (let index = 0; index < count; index++) {
		void limiter.acquire(route).then((slot) => {
			granted.push(slot);
			if (answerAtOnce) slot.answered();
		});
	}
	return granted;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the rate budget of one API key', () => {
	it('starts at most the contract’s 100 requests in a second, the rest a second after those were answered', async () => {
		const granted = ask(freshLimiter(), 'getCard', 150);
		await jest.advanceTimersByTimeAsync(999);
		expect(granted).toHaveLength(RATE_LIMITS.otherRequestsPerSecond);
		await jest.advanceTimersByTimeAsync(1);
		expect(granted).toHaveLength(150);
	});

	it('counts a request that is still running: the API may count it at any moment until its answer', async () => {
		const limiter = freshLimiter();
		const running = ask(limiter, 'getCard', RATE_LIMITS.otherRequestsPerSecond, false);
		const next = ask(limiter, 'getCard', 1);
		await jest.advanceTimersByTimeAsync(5_000);
		expect([running.length, next.length]).toEqual([RATE_LIMITS.otherRequestsPerSecond, 0]);
		running[0].answered();
		await jest.advanceTimersByTimeAsync(999);
		expect(next).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(next).toHaveLength(1);
	});

	it('keeps Get Details to 30 a minute, apart from the other routes', async () => {
		const limiter = freshLimiter();
		const details = ask(limiter, 'getCardDetails', 31);
		const others = ask(limiter, 'getCard', 50);
		await jest.advanceTimersByTimeAsync(59_999);
		expect([details.length, others.length]).toEqual([RATE_LIMITS.cardDetailsPerMinute, 50]);
		await jest.advanceTimersByTimeAsync(1);
		expect(details).toHaveLength(31);
	});

	it('a 429 holds every request of the key for its Retry-After and halves the budget; answers win it back', async () => {
		const limiter = freshLimiter();
		(await limiter.acquire('fundCard')).rateLimited(2_000);
		const held = ask(limiter, 'getCard', 100, false);
		await jest.advanceTimersByTimeAsync(1_999);
		expect(held).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(held).toHaveLength(RATE_LIMITS.otherRequestsPerSecond / 2);

		for (const slot of [...held]) slot.answered();
		await jest.advanceTimersByTimeAsync(0);
		expect(held).toHaveLength(100);
	});

	it('is one budget per base URL and key, shared by whoever asks for it', () => {
		expect(rateLimiterFor('https://a.example/v1', 'sk_test_shared')).toBe(rateLimiterFor('https://a.example/v1', 'sk_test_shared'));
		expect(rateLimiterFor('https://a.example/v1', 'sk_test_shared')).not.toBe(rateLimiterFor('https://b.example/v1', 'sk_test_shared'));
	});
});
