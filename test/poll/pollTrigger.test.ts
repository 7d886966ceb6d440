import type { IDataObject } from 'n8n-workflow';

import type { Card, Deposit, Transaction } from '../../nodes/PrivCards/contract';
import { MAX_PAGES_PER_POLL } from '../../nodes/PrivCards/poll';
import { PAGINATION } from '../../nodes/PrivCards/contract';
import { authorize, createCard, repeat, route, sandboxRoute } from '../workflow/fixtures';
import { startPollBed } from './harness';
import type { PollBed } from './harness';

/** More than two polls' worth: the cap, a partial last poll, an empty one. */
const BACKLOG = 2500;
const declines = { events: ['transaction.declined'], options: {} };

let bed: PollBed;
let card: Card;

/** A declined payment (the card holds less than asked), created at the emulator's current second. */
async function decline(): Promise<Transaction> {
	return await authorize(bed.api, card, 4000, { name: 'META ADS', category: 'advertising' });
}

/** A declined payment created at the given second (the fixtures move the clock one second per record). */
async function declineAt(second: number): Promise<Transaction> {
	bed.api.setNow(second);
	const transaction = await decline();
	bed.api.setNow(second);
	return transaction;
}

const idsOf = (events: IDataObject[]) => events.map((event) => (event.data as IDataObject).id);
const transactionRequests = () =>
	bed.api.requests().filter((request) => request.path === route('listTransactions').path);

beforeEach(async () => {
	bed = await startPollBed();
	card = await createCard(bed.api, 10, 'Ads');
});

afterEach(async () => {
	jest.restoreAllMocks();
	await bed.api.stop();
});

describe('PrivCards Poll Trigger: what it outputs', () => {
	it('starts from the first poll (no history), then outputs each new decline once, shaped as the webhook event', async () => {
		await decline();
		expect(await bed.poll(declines)).toEqual([]);
		const declined = await decline();
		await authorize(bed.api, card, 1); // authorized, not chosen

		bed.api.clearRequests();
		const events = await bed.poll(declines);

		expect(events).toEqual([
			{
				id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
				type: 'transaction.declined',
				created_at: declined.created_at,
				data: declined,
			},
		]);
		// One type chosen: the API filters by it; the window runs from the cursor to the poll's second.
		expect(transactionRequests().map((request) => request.query)).toEqual([
			expect.objectContaining({ type: 'decline', page: '1', per_page: '100' }),
		]);
		expect(await bed.poll(declines)).toEqual([]);
	});

	it('gives an event the same id at every poll and in "Fetch Test Event", which outputs the newest matching record and leaves the cursor alone', async () => {
		await bed.poll(declines);
		await decline();
		const newest = await decline();
		const stored = bed.staticData();

		const [tested] = await bed.poll(declines, 'manual');
		expect(tested).toMatchObject({ type: 'transaction.declined', data: newest });
		expect(bed.staticData()).toEqual(stored);

		const polled = await bed.poll(declines);
		expect(idsOf(polled)).toEqual([expect.any(String), newest.id]);
		expect(polled[1].id).toBe(tested.id);
	});

	it('Start From: the first poll outputs what was created since that time, oldest first', async () => {
		await decline();
		const since = bed.api.now();
		const first = await decline();
		const second = await decline();

		const events = await bed.poll({
			...declines,
			options: { startFrom: new Date(since).toISOString() },
		});

		expect(idsOf(events)).toEqual([first.id, second.id]);
	});

	it('Output Only Event Data outputs the transaction itself', async () => {
		await bed.poll(declines);
		const declined = await decline();

		expect(await bed.poll({ ...declines, options: { outputDataOnly: true } })).toEqual([declined]);
	});

	it('derives transaction, card created and deposit pending events, oldest first across lists', async () => {
		const all = { events: ['*'], options: {} };
		await bed.poll(all);
		const created = await createCard(bed.api, 10, 'New');
		const deposit = await bed.api.call<Deposit>(
			sandboxRoute('createDeposit'),
			{},
			{ currency: 'usdt', amount_usd: 100 },
		);
		const authorized = await authorize(bed.api, created, 1);
		const declined = await decline();

		const events = await bed.poll(all);

		expect(events.map(({ type, data }) => [type, (data as IDataObject).id])).toEqual([
			['card.created', created.id],
			['deposit.pending', deposit.id],
			['transaction.authorized', authorized.id],
			['transaction.declined', declined.id],
		]);
		expect(await bed.poll(all)).toEqual([]);
	});

	it('refuses an event type it cannot derive, naming the field, before any request', async () => {
		bed.api.clearRequests();
		await expect(bed.poll({ events: ['card.frozen'], options: {} })).rejects.toThrow(
			'Events: this trigger cannot derive card.frozen',
		);
		await expect(bed.poll({ events: [], options: {} })).rejects.toThrow(
			'Events: choose at least one event',
		);
		await expect(
			bed.poll({ ...declines, options: { startFrom: 'yesterday-ish' } }),
		).rejects.toThrow('Start From');
		expect(bed.api.requests()).toEqual([]);
	});
});

describe('PrivCards Poll Trigger: every event once', () => {
	it("records sharing the cursor's second: those that arrive after a poll read it are output by the next poll, the others not again", async () => {
		// n8n's clock runs ahead of the API's: the poll reads the API's current second while records still arrive in it.
		await bed.poll(declines);
		bed.setSkew(5_000);
		const second = bed.api.now();
		const early = [await declineAt(second), await declineAt(second)];

		expect(idsOf(await bed.poll(declines))).toEqual(early.map(({ id }) => id));
		const late = await declineAt(second);
		expect(late.created_at).toBe(early[0].created_at);

		expect(idsOf(await bed.poll(declines))).toEqual([late.id]);
		expect(await bed.poll(declines)).toEqual([]);
	});

	it('a backlog (2,500 new transactions): at most 1,000 a poll, oldest first, each once, at most 11 requests a poll', async () => {
		await bed.poll(declines);
		const created = await repeat(BACKLOG, async () => await decline());

		const emitted: unknown[] = [];
		const requestsPerPoll: number[] = [];
		const eventsPerPoll: number[] = [];
		for (let poll = 0; poll < 4; poll++) {
			bed.api.clearRequests();
			const events = idsOf(await bed.poll(declines));
			emitted.push(...events);
			eventsPerPoll.push(events.length);
			requestsPerPoll.push(transactionRequests().length);
		}

		expect(emitted).toEqual(created.map(({ id }) => id));
		expect(Math.max(...eventsPerPoll)).toBeLessThanOrEqual(
			MAX_PAGES_PER_POLL * PAGINATION.maxPerPage,
		);
		expect(Math.max(...requestsPerPoll)).toBeLessThanOrEqual(MAX_PAGES_PER_POLL + 1);
		expect(eventsPerPoll.at(-1)).toBe(0);
		expect(requestsPerPoll.at(-1)).toBe(1);
	}, 120_000);

	it('a record that arrives while a poll reads is output once, by the next poll; the reading poll outputs its whole window', async () => {
		await bed.poll(declines);
		const before = await repeat(250, async () => await decline());
		bed.api.emulator.setLatency([{ method: 'GET', path: '/transactions', ms: 200 }]);

		const reading = bed.poll(declines);
		await new Promise((resolve) => setTimeout(resolve, 300)); // page 1 answered, the oldest page on its way
		const during = await decline();
		const first = await reading;
		bed.api.emulator.setLatency([]);

		expect(idsOf(first)).toEqual(before.map(({ id }) => id));
		expect(idsOf(await bed.poll(declines))).toEqual([during.id]);
	});

	it('an API failure during a poll: the poll fails, the cursor stays, the next poll outputs what the failed one had read', async () => {
		const both = { events: ['transaction.declined', 'card.created'], options: {} };
		await bed.poll(both);
		const declined = await decline();
		const stored = bed.staticData();
		bed.api.emulator.faults.inject({ method: 'GET', path: '/cards', status: 403 });

		await expect(bed.poll(both)).rejects.toThrow();
		expect(bed.staticData()).toEqual(stored);

		expect(idsOf(await bed.poll(both))).toEqual([declined.id]);
		expect(await bed.poll(both)).toEqual([]);
	});

	it('across a restart: the stored cursor is where the next poll starts', async () => {
		await bed.poll(declines);
		const first = await decline();
		expect(idsOf(await bed.poll(declines))).toEqual([first.id]);

		bed.restart();
		const second = await decline();

		expect(idsOf(await bed.poll(declines))).toEqual([second.id]);
	});
});
