import { PrivCards } from '../../nodes/PrivCards/PrivCards.node';
import { loadOptionsContext } from '../../harness/n8n';
import { authorize, createCard, repeat, route, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

/** What the editor calls while the user fills in the node: the card picker's search and the BIN list. */
describe('editor lookups', () => {
	let api: TestApi;
	const { methods } = new PrivCards();
	const context = () =>
		loadOptionsContext({ apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl });

	beforeEach(async () => {
		api = await startTestApi();
	});
	afterEach(async () => await api.stop());

	it('the card picker names cards by label and last 4 (what is saved), with status and balance beside them, and searches them', async () => {
		const meta = await createCard(api, 120, 'Meta Ads #12');
		const google = await createCard(api, 80, 'Google Ads');
		api.clearRequests();

		const all = await methods.listSearch.searchCards.call(context());
		expect(all.results).toEqual([
			{
				name: `Google Ads •••• ${google.last4}`,
				value: google.id,
				description: `Active · 80.00 USD · ${google.id}`,
			},
			{
				name: `Meta Ads #12 •••• ${meta.last4}`,
				value: meta.id,
				description: `Active · 120.00 USD · ${meta.id}`,
			},
		]);
		expect(all.paginationToken).toBeUndefined();
		expect(api.requests().map((request) => [request.method, request.path])).toEqual([
			['GET', '/cards'],
		]);

		// The picker shows names only: a card that cannot take payments says so in its name.
		await api.call(route('terminateCard'), { cardId: google.id });
		const [terminated] = (await methods.listSearch.searchCards.call(context(), 'google')).results;
		expect(terminated).toMatchObject({
			name: `Google Ads •••• ${google.last4} (terminated)`,
			description: `Terminated · 0.00 USD · ${google.id}`,
		});
		await api.call(route('freezeCard'), { cardId: meta.id });
		const [frozen] = (await methods.listSearch.searchCards.call(context(), 'meta')).results;
		expect(frozen).toMatchObject({
			name: `Meta Ads #12 •••• ${meta.last4} (frozen)`,
			description: `Frozen · 120.00 USD · ${meta.id}`,
		});

		expect(
			(await methods.listSearch.searchCards.call(context(), 'meta')).results.map(
				(result) => result.value,
			),
		).toEqual([meta.id]);
		expect(
			(await methods.listSearch.searchCards.call(context(), google.last4)).results.map(
				(result) => result.value,
			),
		).toContain(google.id);
		expect(
			(await methods.listSearch.searchCards.call(context(), meta.id)).results.map(
				(result) => result.value,
			),
		).toEqual([meta.id]);
	});

	it('the card picker pages through more than 100 cards', async () => {
		await repeat(101, () => createCard(api, 1));
		const first = await methods.listSearch.searchCards.call(context());
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await methods.listSearch.searchCards.call(
			context(),
			undefined,
			first.paginationToken,
		);
		expect(second.results).toHaveLength(1);
		expect(second.paginationToken).toBeUndefined();
	});

	it('the BIN list shows each BIN with its network, type and limits', async () => {
		const options = await methods.loadOptions.getBins.call(context());
		expect(options.length).toBeGreaterThanOrEqual(2);
		expect(options[0]).toMatchObject({ value: '491653', name: 'Visa Advertising (491653)' });
		expect(options[0].description).toBe(
			'Max 5,000.00 USD per transaction, 50,000.00 USD a month, 97.2% accepted, 3DS',
		);
	});

	it('the transaction, 3DS challenge and webhook pickers list their records by what they are, and search them', async () => {
		const card = await createCard(api, 100, 'Ads');
		const payment = await authorize(api, card, 12.5, { name: 'META ADS', category: 'advertising' });
		await authorize(api, card, 9.99, { name: 'NETFLIX', category: 'streaming' }, true);
		const [challenge] = api.emulator.state.challenges();
		await api.call(route('createWebhook'), {}, { url: 'https://example.com/hooks', events: ['*'] });
		api.clearRequests();

		const transactions = await methods.listSearch.searchTransactions.call(context(), 'meta');
		expect(transactions.results).toEqual([
			{
				name: 'Authorization · 12.50 USD · META ADS',
				value: payment.id,
				description: `${payment.created_at} · ${card.id} · ${payment.id}`,
			},
		]);
		const challenges = await methods.listSearch.searchChallenges.call(context());
		expect(challenges.results).toEqual([
			{
				name: `NETFLIX · 9.99 USD (pending)`,
				value: challenge.id,
				description: `${card.id} · ${challenge.id}`,
			},
		]);
		const webhooks = await methods.listSearch.searchWebhooks.call(context(), 'example.com');
		expect(webhooks.results).toEqual([
			expect.objectContaining({
				name: 'https://example.com/hooks',
				description: expect.stringMatching(/^\* · wh_/),
			}),
		]);
		expect(api.requests().map((request) => [request.method, request.path])).toEqual([
			['GET', '/transactions'],
			['GET', '/3ds'],
			['GET', '/webhooks'],
		]);
	});
});
