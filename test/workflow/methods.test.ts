import { PrivCards } from '../../nodes/PrivCards/PrivCards.node';
import { loadOptionsContext } from '../harness/n8n';
import { createCard, repeat, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

/** What the editor calls while the user fills in the node: the card picker's search and the BIN list. */
describe('editor lookups', () => {
	let api: TestApi;
	const { methods } = new PrivCards();
	const context = () => loadOptionsContext({ apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl });

	beforeEach(async () => {
		api = await startTestApi();
	});
	afterEach(async () => await api.stop());

	it('the card picker lists cards with label, last 4, status and balance, and searches them', async () => {
		const meta = await createCard(api, 120, 'Meta Ads #12');
		const google = await createCard(api, 80, 'Google Ads');
		api.clearRequests();

		const all = await methods.listSearch.searchCards.call(context());
		expect(all.results).toEqual([
			{ name: `Google Ads •••• ${google.last4} (active, 80.00 USD)`, value: google.id },
			{ name: `Meta Ads #12 •••• ${meta.last4} (active, 120.00 USD)`, value: meta.id },
		]);
		expect(all.paginationToken).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path])).toEqual([['GET', '/cards']]);

		expect((await methods.listSearch.searchCards.call(context(), 'meta')).results.map((result) => result.value)).toEqual([meta.id]);
		expect((await methods.listSearch.searchCards.call(context(), google.last4)).results.map((result) => result.value)).toContain(google.id);
		expect((await methods.listSearch.searchCards.call(context(), meta.id)).results.map((result) => result.value)).toEqual([meta.id]);
	});

	it('the card picker pages through more than 100 cards', async () => {
		await repeat(101, () => createCard(api, 1));
		const first = await methods.listSearch.searchCards.call(context());
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await methods.listSearch.searchCards.call(context(), undefined, first.paginationToken);
		expect(second.results).toHaveLength(1);
		expect(second.paginationToken).toBeUndefined();
	});

	it('the BIN list shows each BIN with its network, type and limits', async () => {
		const options = await methods.loadOptions.getBins.call(context());
		expect(options.length).toBeGreaterThanOrEqual(2);
		expect(options[0]).toMatchObject({ value: '491653', name: '491653 · visa advertising' });
		expect(options[0].description).toMatch(/Max 5000 per transaction, 50000 a month, 97.2% accepted, 3DS/);
	});
});
