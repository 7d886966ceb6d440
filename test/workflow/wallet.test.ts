import { DEPOSIT_CURRENCIES } from '../../nodes/PrivCards/contract';
import type { DataList, Deposit, DepositAddress, Wallet } from '../../nodes/PrivCards/contract';
import {
	expectPaging,
	expectRefused,
	MANY,
	repeat,
	route,
	sandboxRoute,
	startTestApi,
} from './fixtures';
import type { TestApi } from './fixtures';

let api: TestApi;
let deposits: Deposit[];
const CONFIRMED = 3;

beforeAll(async () => {
	api = await startTestApi();
	deposits = await repeat(
		MANY,
		async (index) =>
			await api.call<Deposit>(
				sandboxRoute('createDeposit'),
				{},
				{ currency: 'usdt', amount_usd: 10 + index },
			),
	);
	await repeat(
		CONFIRMED,
		async (index) =>
			await api.call<Deposit>(sandboxRoute('confirmDeposit'), { depositId: deposits[index].id }),
	);
});

afterAll(async () => await api.stop());

describe('wallet.get', () => {
	it('gets the wallet with one request', async () => {
		const expected = await api.call<Wallet>(route('getWallet'));
		api.clearRequests();
		const result = await api.run({ resource: 'wallet', operation: 'get' }, { input: [{}, {}] });

		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path, request.query])).toEqual([
			['GET', route('getWallet').path, {}],
			['GET', route('getWallet').path, {}],
		]);
		expect(result.items).toEqual([
			{ json: expected, pairedItem: { item: 0 } },
			{ json: expected, pairedItem: { item: 1 } },
		]);
		expect(expected.pending_deposits).toBeGreaterThan(0);
	});
});

describe('wallet.getDepositAddresses', () => {
	it('gets every address, one item each, with no currency sent for All', async () => {
		const { data } = await api.call<DataList<DepositAddress>>(route('listDepositAddresses'));
		api.clearRequests();
		const result = await api.run({
			resource: 'wallet',
			operation: 'getDepositAddresses',
			currency: 'all',
		});

		expect(api.requests().map((request) => [request.method, request.path, request.query])).toEqual([
			['GET', route('listDepositAddresses').path, {}],
		]);
		expect(result.items.map((item) => item.json)).toEqual(data);
		expect(result.items.map((item) => item.json.currency)).toEqual(DEPOSIT_CURRENCIES);
	});

	it('sends the chosen currency', async () => {
		api.clearRequests();
		const result = await api.run({
			resource: 'wallet',
			operation: 'getDepositAddresses',
			currency: 'eth',
		});

		expect(api.requests().map((request) => request.query)).toEqual([{ currency: 'eth' }]);
		expect(result.items.map((item) => item.json.currency)).toEqual(['eth']);
		expect(result.items[0].json).toEqual(
			expect.objectContaining({
				network: expect.any(String),
				address: expect.any(String),
				min_deposit_usd: expect.any(Number),
			}),
		);
	});

	it('refuses an unknown currency before any request', async () => {
		await expectRefused(
			api,
			{ resource: 'wallet', operation: 'getDepositAddresses', currency: 'doge' },
			'Currency',
			/btc, eth, sol, usdt/,
		);
	});
});

describe('wallet.getDeposits', () => {
	it('sends the status filter and outputs the matching deposits, newest first', async () => {
		api.clearRequests();
		const result = await api.run({
			resource: 'wallet',
			operation: 'getDeposits',
			filters: { status: 'confirmed' },
		});

		expect(api.requests().map((request) => [request.method, request.path, request.query])).toEqual([
			['GET', route('listDeposits').path, { status: 'confirmed', page: '1', per_page: '50' }],
		]);
		expect(result.items.map((item) => item.json.id)).toEqual(
			deposits
				.slice(0, CONFIRMED)
				.reverse()
				.map((deposit) => deposit.id),
		);
		expect(result.items.every((item) => item.json.status === 'confirmed')).toBe(true);
	});

	it('walks every page with Return All and stops at the limit', async () => {
		await expectPaging(
			api,
			{ resource: 'wallet', operation: 'getDeposits' },
			route('listDeposits'),
			MANY,
		);
	});

	it('refuses an unknown status before any request', async () => {
		await expectRefused(
			api,
			{ resource: 'wallet', operation: 'getDeposits', filters: { status: 'lost' } },
			'Status',
			/pending, confirmed/,
		);
	});
});
