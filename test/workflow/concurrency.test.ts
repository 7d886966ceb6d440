/**
 * Items overlapping inside one node run: how many requests the emulator saw in flight at once, the order of the
 * output, items of one card kept in input order, and what a failure does to the items around it.
 */
import type { Card, CardAndWallet } from '../../nodes/PrivCards/contract';
import { rateLimiterFor } from '../../nodes/PrivCards/transport/rateLimit';
import { sleep } from '../emulator/node-helpers';
import { SANDBOX_TEST_KEY, scaledRateLimits } from '../../emulator/emulator';
import type { LoggedRequest } from '../../emulator/emulator';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/n8n';
import { cardLocator, createCard, repeat, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

/** The most requests the emulator was answering at one moment. */
function maxInFlight(requests: readonly LoggedRequest[]): number {
	const moments = requests.flatMap((request) => [
		{ at: request.receivedAtMs, change: 1 },
		{ at: request.answeredAtMs ?? Infinity, change: -1 },
	]);
	// An answer at the same moment as an arrival ends first: they did not overlap.
	moments.sort((a, b) => a.at - b.at || a.change - b.change);
	let inFlight = 0;
	let most = 0;
	for (const { change } of moments) {
		inFlight += change;
		most = Math.max(most, inFlight);
	}
	return most;
}

const balanceOf = (api: TestApi, id: string) =>
	api.emulator.state.cards().find((card) => card.id === id)?.balance;
const fundPath = (card: Card) => `/cards/${card.id}/fund`;

/** One fund item per card, each on the card given in its input item. */
const fundEach = (amount: number, options: IDataObject = {}) => ({
	resource: 'funding',
	operation: 'fund',
	cardId: cardLocator('={{ $json.cardId }}'),
	amount,
	options,
});
const inputFor = (cards: Card[]) => cards.map((card) => ({ cardId: card.id }));

let api: TestApi;
let cards: Card[];
beforeEach(async () => {
	api = await startTestApi();
	cards = await repeat(12, () => createCard(api, 100));
	api.clearRequests();
});
afterEach(async () => await api.stop());

describe('items in flight at once', () => {
	it('runs up to 50 items at once by default, and no more', async () => {
		api.emulator.faults.inject({ method: 'GET', path: '/cards/{cardId}', delayMs: 150, times: 60 });
		const result = await api.run(
			{ resource: 'card', operation: 'get', cardId: cardLocator('={{ $json.cardId }}') },
			{
				input: Array.from({ length: 60 }, (_, index) => ({
					cardId: cards[index % cards.length].id,
				})),
			},
		);
		expect(result.error).toBeUndefined();
		expect(api.requests()).toHaveLength(60);
		expect(maxInFlight(api.requests())).toBe(50);
	});

	it('Concurrency bounds the requests in flight; 1 never has two in flight', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			delayMs: 60,
			times: 12,
		});
		await api.run(fundEach(5, { concurrency: 3 }), { input: inputFor(cards.slice(0, 6)) });
		expect(maxInFlight(api.requests())).toBe(3);

		api.clearRequests();
		await api.run(fundEach(5, { concurrency: 1 }), { input: inputFor(cards.slice(0, 6)) });
		expect(api.requests()).toHaveLength(6);
		expect(maxInFlight(api.requests())).toBe(1);
		expect(cards.slice(0, 6).map((card) => balanceOf(api, card.id))).toEqual(
			cards.slice(0, 6).map(() => 110),
		);
	});

	it('outputs items and pairedItem in input order when answers come back in another order', async () => {
		const four = cards.slice(0, 4);
		for (const [index, card] of four.entries()) {
			api.emulator.faults.inject({
				method: 'POST',
				path: fundPath(card),
				delayMs: 240 - index * 80,
			});
		}
		const result = await api.run(fundEach(5), { input: inputFor(four) });
		const answered = [...api.requests()].sort(
			(a, b) => (a.answeredAtMs ?? 0) - (b.answeredAtMs ?? 0),
		);
		expect(answered.map((request) => request.path)).toEqual([...four].reverse().map(fundPath));
		expect(result.items.map((item) => (item.json as unknown as CardAndWallet).card.id)).toEqual(
			four.map((card) => card.id),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
	});

	it('refuses a Concurrency that is not a whole number of at least 1, before any request', async () => {
		for (const concurrency of [0, -2, 2.5]) {
			const result = await api.run(fundEach(5, { concurrency }), {
				input: inputFor(cards.slice(0, 3)),
			});
			expect(result.error?.message).toBe(
				`Concurrency must be a whole number of at least 1, got "${concurrency}" [item 0]`,
			);
		}
		expect(api.requests()).toHaveLength(0);
	});

	it('checks every item before the first request: a bad item late in the input sends nothing', async () => {
		const result = await api.run(
			{ ...fundEach(5), amount: '={{ $json.amount }}' },
			{
				input: cards
					.slice(0, 5)
					.map((card, index) => ({ cardId: card.id, amount: index === 3 ? 0.5 : 5 })),
			},
		);
		expect(result.error?.message).toMatch(
			/^Amount must be between 1\.00 USD and 5,000\.00 USD, got 0\.50 USD \[item 3\]$/,
		);
		expect(api.requests()).toHaveLength(0);
	});
});

describe('items of one card', () => {
	it('run in input order while other cards overlap them', async () => {
		const [first, second] = cards;
		api.emulator.faults.inject({ method: 'POST', path: fundPath(first), delayMs: 150 });
		const result = await api.run(
			{ ...fundEach(0), amount: '={{ $json.amount }}' },
			{
				input: [
					{ cardId: first.id, amount: 10 },
					{ cardId: second.id, amount: 5 },
					{ cardId: first.id, amount: 20 },
				],
			},
		);
		expect(result.error).toBeUndefined();
		const [firstOfCard, other, secondOfCard] = api.requests();
		expect([firstOfCard.body, other.body, secondOfCard.body]).toEqual([
			{ amount: 10 },
			{ amount: 5 },
			{ amount: 20 },
		]);
		expect(other.receivedAtMs).toBeLessThan(firstOfCard.answeredAtMs ?? 0);
		expect(secondOfCard.receivedAtMs).toBeGreaterThanOrEqual(firstOfCard.answeredAtMs ?? Infinity);
		expect(
			result.items.map((item) => (item.json as unknown as CardAndWallet).card.balance),
		).toEqual([110, 105, 130]);
	});

	it('a top-up of a card listed twice does not overshoot the target', async () => {
		const [twice, once] = cards;
		api.emulator.faults.inject({ method: 'GET', path: `/cards/${twice.id}`, delayMs: 100 });
		const result = await api.run(
			{
				resource: 'funding',
				operation: 'topUp',
				cardId: cardLocator('={{ $json.cardId }}'),
				targetBalance: 150,
			},
			{ input: inputFor([twice, once, twice]) },
		);
		expect(result.items.map((item) => [item.json.action, item.json.amount_funded])).toEqual([
			['funded', 50],
			['funded', 50],
			['none', 0],
		]);
		expect(balanceOf(api, twice.id)).toBe(150);
		expect(balanceOf(api, once.id)).toBe(150);
	});

	it('a later item for a card waits for the earlier one: the second terminate of a card is the one refused', async () => {
		const [card] = cards;
		api.emulator.faults.inject({
			method: 'POST',
			path: `/cards/${card.id}/terminate`,
			delayMs: 150,
		});
		const result = await api.run(
			{ resource: 'card', operation: 'terminate', cardId: cardLocator('={{ $json.cardId }}') },
			{ input: inputFor([card, card]), continueOnFail: true },
		);
		expect(result.items[0].json).toMatchObject({ card: { id: card.id, status: 'terminated' } });
		expect(result.items[1].json).toMatchObject({ http_code: '409' });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('a failing item among overlapping ones', () => {
	it('without Continue On Fail: no further item starts, the running ones finish, the error names the item', async () => {
		const [slow, failing, ...rest] = cards.slice(0, 6);
		api.emulator.faults.inject({ method: 'POST', path: fundPath(slow), delayMs: 200 });
		api.emulator.faults.inject({
			method: 'POST',
			path: fundPath(failing),
			status: 400,
			error: 'insufficient_funds',
		});
		const result = await api.run(fundEach(5, { concurrency: 2 }), {
			input: inputFor([slow, failing, ...rest]),
		});
		expect(result.error?.httpCode).toBe('400');
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(
			1,
		);
		expect(api.requests().map((request) => [request.path, request.status])).toEqual(
			expect.arrayContaining([
				[fundPath(slow), 200],
				[fundPath(failing), 400],
			]),
		);
		expect(api.requests()).toHaveLength(2);
		const [slowRequest, failingRequest] = api.requests();
		expect(failingRequest.answeredAtMs).toBeLessThan(slowRequest.answeredAtMs ?? 0);
		expect(balanceOf(api, slow.id)).toBe(105);
		expect(rest.map((card) => balanceOf(api, card.id))).toEqual(rest.map(() => 100));
	});

	it('with Continue On Fail: every item runs and error items stay in their place', async () => {
		const four = cards.slice(0, 4);
		api.emulator.faults.inject({ method: 'POST', path: fundPath(four[0]), delayMs: 150 });
		for (const card of [four[1], four[2]]) {
			api.emulator.faults.inject({
				method: 'POST',
				path: fundPath(card),
				status: 400,
				error: 'insufficient_funds',
			});
		}
		const result = await api.run(fundEach(5), { input: inputFor(four), continueOnFail: true });
		expect(maxInFlight(api.requests())).toBeGreaterThan(1);
		expect(
			result.items.map(
				(item) => item.json.http_code ?? (item.json as unknown as CardAndWallet).card.id,
			),
		).toEqual([four[0].id, '400', '400', four[3].id]);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
	});

	it("n8n's Retry On Fail after a mid-run failure moves no money twice", async () => {
		const five = cards.slice(0, 5);
		api.emulator.faults.inject({
			method: 'POST',
			path: fundPath(five[2]),
			status: 400,
			error: 'insufficient_funds',
		});
		const result = await runNode(
			{
				parameters: fundEach(5, { concurrency: 2 }),
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 0,
			},
			{
				credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl },
				input: inputFor(five),
			},
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => (item.json as unknown as CardAndWallet).card.balance),
		).toEqual(five.map(() => 105));
		expect(five.map((card) => balanceOf(api, card.id))).toEqual(five.map(() => 105));
		const replayed = api.requests().filter((request) => request.replayed);
		expect(replayed.length).toBeGreaterThanOrEqual(2);
		expect(api.emulator.state.wallet().balance).toBe(10_000 - 12 * 100 - 5 * 5);
	});
});

describe('rate limits', () => {
	it('a 429 holds the other items for its Retry-After, and is retried out of sight', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: fundPath(cards[0]),
			status: 429,
			retryAfterSeconds: 1,
		});
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			delayMs: 60,
			times: 11,
		});
		const result = await api.run(fundEach(5, { concurrency: 4 }), { input: inputFor(cards) });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.httpCode)).toEqual(cards.map(() => undefined));
		const refused = api.requests().find((request) => request.status === 429);
		const refusedAt = refused?.answeredAtMs ?? Infinity;
		// Requests sent before the node read the 429 arrive right after it; then nothing for a second (the others took 60 ms each).
		const sinceRefusal = api
			.requests()
			.filter((request) => request.receivedAtMs > refusedAt)
			.map((request) => request.receivedAtMs - refusedAt);
		expect(sinceRefusal.filter((elapsed) => elapsed >= 990).length).toBeGreaterThan(1);
		expect(sinceRefusal.filter((elapsed) => elapsed > 100 && elapsed < 990)).toEqual([]);
		expect(cards.map((card) => balanceOf(api, card.id))).toEqual(cards.map(() => 105));
	});
});

describe('the published rate limits, kept by the node itself', () => {
	// The node's windows and the emulator's, both at a fiftieth of the published length: a minute lasts 1.2 s.
	const SCALE = 0.02;
	const MINUTE_MS = 60_000 * SCALE;
	/** An emulator enforcing the published limits, a minute lasting MINUTE_MS, and a key of the node's own. */
	async function limitedApi(nodeKey: string): Promise<TestApi> {
		const api = await startTestApi({
			apiKeys: [SANDBOX_TEST_KEY, nodeKey],
			rateLimits: scaledRateLimits({ time: SCALE }),
		});
		rateLimiterFor(api.emulator.baseUrl, nodeKey, { windowScale: SCALE });
		return api;
	}

	const createEach = { resource: 'card', operation: 'create', binId: '491653', amount: 1 };

	it('bulk card creation paces at 50 a minute: 60 creates, none answered 429', async () => {
		const nodeKey = 'sk_test_bulkcreates';
		const limited = await limitedApi(nodeKey);
		try {
			const result = await runNode(
				{ parameters: createEach },
				{
					credential: { apiKey: nodeKey, baseUrl: limited.emulator.baseUrl },
					input: Array.from({ length: 60 }, () => ({})),
				},
			);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(60);
			const creates = limited.requests().filter((request) => request.path === '/cards');
			expect(creates.filter((request) => request.status === 429)).toHaveLength(0);
			expect(creates).toHaveLength(60);
			expect(limited.emulator.state.cards()).toHaveLength(60);
			// The 51st waits for the first to leave the API's minute.
			expect(creates[50].receivedAtMs - creates[0].receivedAtMs).toBeGreaterThanOrEqual(MINUTE_MS);
		} finally {
			await limited.stop();
		}
	});

	it('two executions at once with one credential share the budget: the API refuses none of their requests', async () => {
		const nodeKey = 'sk_test_sharedbudget';
		const limited = await limitedApi(nodeKey);
		try {
			const create = () =>
				runNode(
					{ parameters: createEach },
					{
						credential: { apiKey: nodeKey, baseUrl: limited.emulator.baseUrl },
						input: Array.from({ length: 30 }, () => ({})),
					},
				);
			const runs = await Promise.all([create(), create()]);
			expect(runs.map((run) => [run.error, run.items.length])).toEqual([
				[undefined, 30],
				[undefined, 30],
			]);
			expect(limited.requests()).toHaveLength(60);
			expect(limited.requests().filter((request) => request.status === 429)).toHaveLength(0);
		} finally {
			await limited.stop();
		}
	});
});

describe('429s of one route', () => {
	it('a 429 on Get Details (its own 30-a-minute budget) holds only Get Details: other routes of the key go on', async () => {
		const [card] = cards;
		api.emulator.faults.inject({
			method: 'GET',
			path: '/cards/{cardId}/details',
			status: 429,
			retryAfterSeconds: 3,
		});
		const details = api.run({
			resource: 'card',
			operation: 'getDetails',
			cardId: cardLocator(card.id),
		});
		await sleep(300);
		const started = performance.now();
		const gets = await api.run(
			{ resource: 'card', operation: 'get', cardId: cardLocator('={{ $json.cardId }}') },
			{ input: inputFor(cards.slice(0, 3)) },
		);
		const getsMs = performance.now() - started;
		expect(gets.error).toBeUndefined();
		expect(getsMs).toBeLessThan(1_500);
		expect((await details).error).toBeUndefined();
		const detailsRequests = api.requests().filter((request) => request.path.endsWith('/details'));
		expect(detailsRequests.map((request) => request.status)).toEqual([429, 200]);
	});
});

describe('Stop', () => {
	/**
	 * Runs the node, stopping the execution (n8n's Stop) after `stopAfterMs`: the moment of the stop, and how long the
	 * node's run went on after it. (n8n-core also hands the signal to each request, so a request the node starts after
	 * the stop is cancelled before it leaves; the node must not even try, nor sit out its waits.)
	 */
	async function runAndStop(parameters: IDataObject, input: IDataObject[], stopAfterMs: number) {
		const stop = new AbortController();
		const run = runNode(
			{ parameters },
			{
				credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl },
				input,
				stop: stop.signal,
			},
		);
		await sleep(stopAfterMs);
		stop.abort();
		const stoppedAt = performance.now();
		await run;
		return { stoppedAt, ranOnMs: performance.now() - stoppedAt };
	}

	/** Requests the emulator received after the stop (a request already on its way arrives within a few ms). */
	const sentAfter = (stoppedAt: number) =>
		api.requests().filter((request) => request.receivedAtMs > stoppedAt + 20);

	it('a stopped run starts no further item, and ends once the running ones are answered', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			delayMs: 100,
			times: 24,
		});
		const { stoppedAt, ranOnMs } = await runAndStop(
			fundEach(5, { concurrency: 2 }),
			inputFor([...cards, ...cards]),
			250,
		);
		expect(ranOnMs).toBeLessThan(300);
		await sleep(500);
		expect(sentAfter(stoppedAt)).toEqual([]);
		expect(api.requests().length).toBeLessThanOrEqual(6);
		const moved = cards.reduce((total, card) => total + ((balanceOf(api, card.id) ?? 0) - 100), 0);
		expect(moved).toBe(api.requests().length * 5);
	});

	it('a run stopped while it waits out a 429 ends within a second, and sends nothing more', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: fundPath(cards[0]),
			status: 429,
			retryAfterSeconds: 3,
		});
		const { stoppedAt, ranOnMs } = await runAndStop(
			fundEach(5, { concurrency: 1 }),
			inputFor(cards.slice(0, 3)),
			500,
		);
		expect(ranOnMs).toBeLessThan(1_200);
		await sleep(3_200);
		expect(sentAfter(stoppedAt)).toEqual([]);
		expect(api.requests().map((request) => request.status)).toEqual([429]);
		expect(cards.slice(0, 3).map((card) => balanceOf(api, card.id))).toEqual([100, 100, 100]);
	});
});

describe('waiting for the budget (Rate Limit Wait)', () => {
	const T = Date.parse('2026-04-15T12:00:00Z');
	// A fake clock for Date only: the node's budget reads it, while timers and the network run in real time.
	beforeEach(() => {
		jest.useFakeTimers({
			doNotFake: [
				'setTimeout',
				'clearTimeout',
				'setInterval',
				'clearInterval',
				'setImmediate',
				'clearImmediate',
				'nextTick',
				'queueMicrotask',
				'hrtime',
				'performance',
			],
			now: T,
		});
	});
	afterEach(() => jest.useRealTimers());

	it('past it, every unsent item fails at once, saying when the budget frees; nothing is sent', async () => {
		// 10,000 requests of this key spent by other executions of the process over ten minutes: the hour is full.
		const limiter = rateLimiterFor(api.emulator.baseUrl, api.emulator.testKey);
		for (let minute = 0; minute < 10; minute++) {
			jest.setSystemTime(T + minute * 60_000);
			for (let index = 0; index < 1000; index++)
				(await limiter.acquire('getCard', { deadline: Infinity })).answered();
		}
		jest.setSystemTime(T + 10 * 60_000);

		const failing = await api.run(fundEach(5), {
			input: inputFor(cards.slice(0, 3)),
			continueOnFail: true,
		});
		expect(failing.error).toBeUndefined();
		expect(failing.items.map((item) => [item.pairedItem, item.json.error])).toEqual(
			[0, 1, 2].map((item) => [
				{ item },
				`This API key's rate budget (10000 requests an hour) is spent until 2026-04-15 13:00:00 UTC (in about 50 min), longer than the node may wait (Rate Limit Wait: 300 s) [item ${item}]`,
			]),
		);
		const stopped = await api.run(fundEach(5, { rateLimitWait: 60 }), {
			input: inputFor(cards.slice(0, 3)),
		});
		expect(stopped.error?.message).toMatch(
			/^This API key's rate budget .* \(Rate Limit Wait: 60 s\) \[item 0\]$/,
		);
		expect(api.requests()).toHaveLength(0);
	});

	it('a shorter wait is waited out, not failed: a 429 asking for 70 s', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: fundPath(cards[0]),
			status: 429,
			retryAfterSeconds: 70,
		});
		const run = api.run(fundEach(5), { input: inputFor(cards.slice(0, 1)) });
		await sleep(500);
		jest.setSystemTime(Date.now() + 71_000);
		const result = await run;
		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => request.status)).toEqual([429, 200]);
		expect(balanceOf(api, cards[0].id)).toBe(105);
	});
});
