import type { Bin, DataList } from '../../nodes/PrivCards/contract';
import { expectRefused, route, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

let api: TestApi;
let bins: Bin[];

beforeAll(async () => {
	api = await startTestApi();
	({ data: bins } = await api.call<DataList<Bin>>(route('listBins')));
});

afterAll(async () => await api.stop());

function simplified({ apple_pay, google_pay, ...rest }: Bin): Partial<Bin> {
	void [apple_pay, google_pay];
	return rest;
}

describe('bin.getMany', () => {
	it('outputs every BIN, one item each, from one request, simplified unless Simplify is off', async () => {
		api.clearRequests();
		const result = await api.run({ resource: 'bin', operation: 'getMany' });

		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path, request.query])).toEqual([
			['GET', route('listBins').path, {}],
		]);
		// Simplify (on by default): without Apple Pay and Google Pay support.
		expect(result.items.map((item) => item.json)).toEqual(bins.map(simplified));
		const raw = await api.run({ resource: 'bin', operation: 'getMany', simple: false });
		expect(raw.items.map((item) => item.json)).toEqual(bins);
		expect(result.items[0].json).toEqual(
			expect.objectContaining({
				'3ds': expect.any(Boolean),
				acceptance_rate: expect.any(Number),
				max_monthly: expect.any(Number),
			}),
		);
	});

	it('filters by network itself, since the API lists every BIN', async () => {
		for (const network of ['visa', 'mastercard']) {
			api.clearRequests();
			const result = await api.run({ resource: 'bin', operation: 'getMany', filters: { network } });

			expect(api.requests().map((request) => request.query)).toEqual([{}]);
			const expected = bins.filter((bin) => bin.network === network);
			expect(expected.length).toBeGreaterThan(0);
			expect(expected.length).toBeLessThan(bins.length);
			expect(result.items.map((item) => item.json)).toEqual(expected.map(simplified));
		}
	});

	it('refuses an unknown network before any request', async () => {
		await expectRefused(
			api,
			{ resource: 'bin', operation: 'getMany', filters: { network: 'amex' } },
			'Network',
			/visa, mastercard/,
		);
	});
});
