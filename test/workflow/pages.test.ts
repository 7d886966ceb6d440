import type { IDataObject } from 'n8n-workflow';

import { PAGINATION } from '../../nodes/PrivCards/contract';
import type { Card } from '../../nodes/PrivCards/contract';
import { MAX_PAGES_IN_FLIGHT } from '../../nodes/PrivCards/transport/pagination';
import type { LoggedRequest } from '../../emulator/emulator';
import { authorize, createCard, route, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

/** Long enough for a test to add records while the later pages wait at the emulator. */
const PAGE_LATENCY_MS = 300;

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Creates `count` records, `inParallel` at a time. */
async function seed(count: number, create: () => Promise<unknown>, inParallel = 50): Promise<void> {
	for (let done = 0; done < count; done += inParallel) {
		await Promise.all(Array.from({ length: Math.min(inParallel, count - done) }, create));
	}
}

function listRequests(api: TestApi, path: string): LoggedRequest[] {
	return api.requests().filter((request) => request.method === 'GET' && request.path === path);
}

const pagesAsked = (requests: LoggedRequest[]) =>
	requests.map((request) => Number(request.query.page));

/** Runs the node; once its first page is answered, `meanwhile` adds records while the others wait. */
async function runWithArrivals(
	api: TestApi,
	path: string,
	parameters: IDataObject,
	meanwhile: () => Promise<unknown>,
) {
	api.clearRequests();
	const run = api.run(parameters);
	await until(() => listRequests(api, path).some((request) => request.status !== null));
	await meanwhile();
	return await run;
}

describe('Return All of transactions: pages in parallel, the window pinned', () => {
	const path = route('listTransactions').path;
	const getMany = { resource: 'transaction', operation: 'getMany', returnAll: true };
	const count = (MAX_PAGES_IN_FLIGHT + 2) * PAGINATION.maxPerPage + 1;
	const pageCount = Math.ceil(count / PAGINATION.maxPerPage);
	let api: TestApi;
	let card: Card;

	beforeAll(async () => {
		api = await startTestApi();
		card = await createCard(api, 5000);
		await seed(count, async () => await authorize(api, card, 1));
		api.emulator.setLatency([{ method: 'GET', path, ms: PAGE_LATENCY_MS / 3 }]);
	});
	afterAll(async () => await api.stop());

	it(`reads the pages after the first at once, at most ${MAX_PAGES_IN_FLIGHT} in flight, each once`, async () => {
		api.clearRequests();
		let mostInFlight = 0;
		const sampler = setInterval(() => {
			const inFlight = listRequests(api, path).filter((request) => request.status === null).length;
			mostInFlight = Math.max(mostInFlight, inFlight);
		}, 5);
		const result = await api.run(getMany);
		clearInterval(sampler);

		expect(result.error).toBeUndefined();
		expect(mostInFlight).toBe(MAX_PAGES_IN_FLIGHT);
		const requests = listRequests(api, path);
		expect(api.requests()).toHaveLength(pageCount);
		expect(pagesAsked(requests).sort((a, b) => a - b)).toEqual(
			Array.from({ length: pageCount }, (_, index) => index + 1),
		);
		expect(result.items.map((item) => item.json.id)).toEqual(
			api.emulator.state.transactions().map(({ id }) => id),
		);
	});

	it('outputs every transaction once when new ones arrive mid-listing, with one request a page', async () => {
		const before = api.emulator.state.transactions().map(({ id }) => id);
		api.emulator.setLatency([{ method: 'GET', path, ms: PAGE_LATENCY_MS }]);
		const result = await runWithArrivals(api, path, getMany, async () => {
			api.setNow(Date.now() + 60 * 60 * 1000);
			await seed(10, async () => await authorize(api, card, 1), 10);
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(before);
		const requests = listRequests(api, path);
		expect(requests).toHaveLength(pageCount);
		expect(new Set(requests.map((request) => request.query.to)).size).toBe(1);
	});
});

describe('Return All and limits of cards: a changed total falls back to a sequential re-read', () => {
	const path = route('listCards').path;
	const count = 2 * PAGINATION.maxPerPage + 50;
	let api: TestApi;

	beforeEach(async () => {
		api = await startTestApi();
		await seed(count, async () => await createCard(api, 1));
		api.emulator.setLatency([{ method: 'GET', path, ms: PAGE_LATENCY_MS }]);
	});
	afterEach(async () => await api.stop());

	it('outputs every card once, the new ones too, when cards are issued mid-listing', async () => {
		const before = api.emulator.state.cards().map(({ id }) => id);
		const result = await runWithArrivals(
			api,
			path,
			{ resource: 'card', operation: 'getMany', returnAll: true },
			async () => await seed(10, async () => await createCard(api, 1), 10),
		);

		expect(result.error).toBeUndefined();
		const ids = result.items.map((item) => item.json.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toEqual(api.emulator.state.cards().map(({ id }) => id));
		expect(ids).toEqual(expect.arrayContaining(before));
		// Three pages in parallel, one of which told the new total, then the three again one after another.
		expect(pagesAsked(listRequests(api, path))).toEqual([1, 2, 3, 1, 2, 3]);
	});

	it('with a limit, fetches no page it does not need, and skips the cards new arrivals pushed onto it', async () => {
		const before = api.emulator.state.cards().map(({ id }) => id);
		const limit = PAGINATION.maxPerPage + 50;
		const result = await runWithArrivals(
			api,
			path,
			{ resource: 'card', operation: 'getMany', returnAll: false, limit },
			async () => await seed(10, async () => await createCard(api, 1), 10),
		);

		expect(result.error).toBeUndefined();
		const ids = result.items.map((item) => item.json.id);
		expect(ids).toEqual(before.slice(0, limit));
		expect(pagesAsked(listRequests(api, path))).toEqual([1, 2]);
	});

	it('fails with the API error of a page read in parallel, outputting nothing', async () => {
		const result = await runWithArrivals(
			api,
			path,
			{ resource: 'card', operation: 'getMany', returnAll: true },
			async () => {
				api.emulator.faults.inject({
					method: 'GET',
					path,
					status: 400,
					message: 'Injected: page refused',
				});
			},
		);

		expect(result.error?.message).toContain('Injected: page refused');
		expect(result.items).toEqual([]);
		expect(pagesAsked(listRequests(api, path))).toEqual([1, 2, 3]);
	});
});
