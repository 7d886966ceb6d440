import { getGlobalState, setGlobalState } from 'n8n-workflow';

import type { Card, Transaction } from '../../nodes/PrivCards/contract';
import {
	cardLocator,
	authorize,
	createCard,
	expectNotFound,
	expectPaging,
	expectRefused,
	MANY,
	path,
	repeat,
	route,
	sandboxRoute,
	startTestApi,
} from './fixtures';
import type { TestApi } from './fixtures';

let api: TestApi;
let busy: Card;
let other: Card;
let authorization: Transaction;
let settlement: Transaction;
let refund: Transaction;
let decline: Transaction;

const picked = (card: Card) => cardLocator(card.id, 'list');
const getMany = { resource: 'transaction', operation: 'getMany' };

beforeAll(async () => {
	api = await startTestApi();
	busy = await createCard(api, 1000, 'Busy');
	await repeat(MANY, async () => await authorize(api, busy, 1));
	other = await createCard(api, 100, 'Other');
	authorization = await authorize(api, other, 20, { name: 'META ADS', category: 'advertising' });
	settlement = await api.call<Transaction>(sandboxRoute('settleTransaction'), {
		transactionId: authorization.id,
	});
	refund = await api.call<Transaction>(sandboxRoute('refundTransaction'), {
		transactionId: authorization.id,
	});
	decline = await authorize(api, other, 4000);
});

afterAll(async () => await api.stop());

describe('transaction.getMany', () => {
	it('sends the card and type filters and outputs each transaction simplified, merchant flattened', async () => {
		api.clearRequests();
		const result = await api.run({
			...getMany,
			filters: { cardId: picked(other), type: 'settlement' },
		});

		expect(result.error).toBeUndefined();
		expect(
			api
				.requests()
				.map(({ method, path: requested, query }) => ({ method, path: requested, query })),
		).toEqual([
			{
				method: 'GET',
				path: route('listTransactions').path,
				// `to` pins the listing's window at its start (see transport/pagination.ts).
				query: {
					card_id: other.id,
					type: 'settlement',
					page: '1',
					per_page: '50',
					to: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
				},
			},
		]);
		const { merchant, ...fields } = settlement;
		expect(result.items.map((item) => item.json)).toEqual([
			{
				...fields,
				merchant_name: merchant.name,
				merchant_category: merchant.category,
				merchant_mcc: merchant.mcc,
				merchant_country: merchant.country,
			},
		]);
		expect(result.items[0].json).not.toHaveProperty('merchant');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('outputs the API records as they are with Simplify off, newest first', async () => {
		const result = await api.run({ ...getMany, filters: { cardId: picked(other) }, simple: false });

		expect(result.items.map((item) => item.json)).toEqual([
			decline,
			refund,
			settlement,
			authorization,
		]);
		expect(decline.type).toBe('decline');
		expect(decline.decline_reason).toBe('insufficient_balance');
	});

	it('sends From and To as ISO 8601 UTC, from an offset date, a Luxon DateTime or epoch milliseconds', async () => {
		const authorizedAt = Date.parse(authorization.created_at);
		const refundedAt = Date.parse(refund.created_at);
		const inPlusTwo = new Date(authorizedAt + 2 * 3600_000).toISOString().replace('Z', '+02:00');

		for (const to of [`={{ DateTime.fromMillis(${refundedAt}) }}`, refundedAt]) {
			api.clearRequests();
			const result = await api.run({ ...getMany, filters: { from: inPlusTwo, to } });

			expect(result.error).toBeUndefined();
			expect(api.requests()[0].query).toEqual({
				from: authorization.created_at,
				to: refund.created_at,
				page: '1',
				per_page: '50',
			});
			expect(result.items.map((item) => item.json.id)).toEqual([settlement.id, authorization.id]);
		}
	});

	it("reads a date-time without a time zone, as n8n's date picker gives it, in the workflow's time zone", async () => {
		const saved = getGlobalState();
		setGlobalState({ ...saved, defaultTimezone: 'Asia/Tokyo' });
		try {
			api.clearRequests();
			const tokyo = new Date(Date.parse(authorization.created_at) + 9 * 3600_000)
				.toISOString()
				.slice(0, 19);
			await api.run({ ...getMany, filters: { from: tokyo } });
			expect(api.requests()[0].query.from).toBe(authorization.created_at);
		} finally {
			setGlobalState(saved);
		}
	});

	it('refuses bad filters before any request', async () => {
		await expectRefused(
			api,
			{ ...getMany, filters: { from: 'next tuesday' } },
			'From',
			/date and time/,
		);
		await expectRefused(
			api,
			{ ...getMany, filters: { from: refund.created_at, to: authorization.created_at } },
			'From',
			/before To/,
		);
		await expectRefused(
			api,
			{ ...getMany, filters: { cardId: cardLocator('../wallet') } },
			'Card',
			/not a valid ID/,
		);
		await expectRefused(
			api,
			{ ...getMany, filters: { cardId: picked(other), type: 'chargeback' } },
			'Type',
			/one of/,
		);
	});

	it('walks every page with Return All and stops at the limit', async () => {
		await expectPaging(
			api,
			{ ...getMany, filters: { cardId: picked(busy) } },
			route('listTransactions'),
			MANY,
		);
		expect(api.requests().every((request) => request.query.card_id === busy.id)).toBe(true);
	});
});

describe('transaction.get', () => {
	it('gets each item’s transaction by ID, simplified, paired with its item', async () => {
		api.clearRequests();
		const result = await api.run(
			{ resource: 'transaction', operation: 'get', transactionId: '={{ $json.id }}' },
			{ input: [{ id: settlement.id }, { id: decline.id }] },
		);

		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path])).toEqual([
			['GET', path(route('getTransaction'), { transactionId: settlement.id })],
			['GET', path(route('getTransaction'), { transactionId: decline.id })],
		]);
		expect(
			result.items.map((item) => [item.json.id, item.json.merchant_name, item.pairedItem]),
		).toEqual([
			[settlement.id, 'META ADS', { item: 0 }],
			[decline.id, 'SPOTIFY', { item: 1 }],
		]);
	});

	it('turns a bad item into an error item with Continue On Fail, and still runs the others', async () => {
		api.clearRequests();
		const result = await api.run(
			{
				resource: 'transaction',
				operation: 'get',
				transactionId: '={{ $json.id }}',
				simple: false,
			},
			{ input: [{ id: 'card_notATransaction' }, { id: refund.id }], continueOnFail: true },
		);

		expect(api.requests()).toHaveLength(1);
		expect(result.items[0].json.error).toMatch(
			/Transaction ID .*must start with "txn_".*\[item 0\]/,
		);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[1]).toEqual({ json: refund, pairedItem: { item: 1 } });
	});

	it('maps a 404 to an error with the request ID', async () => {
		await expectNotFound(
			api,
			{ resource: 'transaction', operation: 'get', transactionId: 'txn_0000000000' },
			path(route('getTransaction'), { transactionId: 'txn_0000000000' }),
			'txn_0000000000',
		);
	});
});

describe('transaction.get', () => {
	it('reads the ID from the picker (From List or By ID) and from a plain string saved before it was a picker', async () => {
		const get = { resource: 'transaction', operation: 'get' };
		const values = [
			{ __rl: true, mode: 'list', value: settlement.id },
			{ __rl: true, mode: 'id', value: settlement.id },
			settlement.id,
		];
		for (const transactionId of values) {
			api.clearRequests();
			const result = await api.run({ ...get, transactionId });
			expect(result.items.map((item) => item.json.id)).toEqual([settlement.id]);
			expect(api.requests().map((request) => request.path)).toEqual([
				path(route('getTransaction'), { transactionId: settlement.id }),
			]);
		}
	});
});
