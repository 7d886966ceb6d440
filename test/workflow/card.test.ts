import type { Card, CardAndWallet, Wallet } from '../../nodes/PrivCards/contract';
import {
	cardLocator,
	createCard,
	expectNotFound,
	expectPaging,
	expectRefused,
	repeat,
	route,
	startTestApi,
} from './fixtures';
import type { TestApi } from './fixtures';

describe('card resource', () => {
	let api: TestApi;
	beforeEach(async () => {
		api = await startTestApi();
	});
	afterEach(async () => await api.stop());

	it('create sends the card fields, an idempotency key, and outputs the new card', async () => {
		const walletBefore = api.emulator.state.wallet().balance;
		const result = await api.run({
			resource: 'card',
			operation: 'create',
			binId: '491653',
			amount: 500,
			additionalFields: {
				label: 'Meta Ads Campaign #12',
				spendingLimit: 2000,
				allowedCategories: 'advertising, software',
				autoFreezeAt: 25.5,
				metadata: { pair: [{ key: 'campaign', value: 'spring_2026' }] },
			},
		});
		expect(result.error).toBeUndefined();
		const [request] = api.requests();
		expect([request.method, request.path, request.status]).toEqual(['POST', '/cards', 201]);
		expect(request.body).toEqual({
			bin_id: '491653',
			amount: 500,
			label: 'Meta Ads Campaign #12',
			spending_limit: 2000,
			allowed_categories: ['advertising', 'software'],
			auto_freeze_at: 25.5,
			metadata: { campaign: 'spring_2026' },
		});
		expect(request.idempotencyKey).toMatch(/^n8n_[0-9a-f]{64}$/);
		expect(result.items).toHaveLength(1);
		const card = result.items[0].json as unknown as Card;
		expect(card).toMatchObject({
			bin_id: '491653',
			status: 'active',
			balance: 500,
			label: 'Meta Ads Campaign #12',
		});
		expect(card.id).toMatch(/^card_/);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(api.emulator.state.wallet().balance).toBe(walletBefore - 500);
	});

	it.each([
		[0.5, /between 1\.00 USD and 5,000\.00 USD, got 0\.50 USD/],
		[5000.01, /between 1\.00 USD and 5,000\.00 USD, got 5,000\.01 USD/],
		[10.005, /at most 2 decimals/],
		['ten', /must be a number/],
	])('create refuses amount %p before any request', async (amount, problem) => {
		await expectRefused(
			api,
			{ resource: 'card', operation: 'create', binId: '491653', amount },
			'Amount',
			problem,
		);
	});

	it('checks every item before sending anything: a bad second item stops the node with zero requests', async () => {
		const result = await api.run(
			{ resource: 'card', operation: 'create', binId: '491653', amount: '={{ $json.amount }}' },
			{ input: [{ amount: 10 }, { amount: 9000 }] },
		);
		expect(result.error?.message).toMatch(/Amount must be between .* \[item 1\]/);
		expect(api.requests()).toHaveLength(0);
		expect(api.emulator.state.cards()).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item becomes its own error item and the others run', async () => {
		const result = await api.run(
			{ resource: 'card', operation: 'create', binId: '491653', amount: '={{ $json.amount }}' },
			{ input: [{ amount: 10 }, { amount: 9000 }, { amount: 20 }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items.map((item) => item.json.balance ?? item.json.error)).toEqual([
			10,
			expect.stringMatching(/Amount must be between .* \[item 1\]/),
			20,
		]);
		expect(api.requests()).toHaveLength(2);
	});

	it('get reads one card by ID; an ID that is not a card ID never reaches the URL', async () => {
		const card = await createCard(api);
		api.clearRequests();
		const result = await api.run({
			resource: 'card',
			operation: 'get',
			cardId: cardLocator(card.id),
		});
		expect(api.requests().map((request) => [request.method, request.path])).toEqual([
			['GET', `/cards/${card.id}`],
		]);
		// Simplify (on by default): the ten fields a card is used by.
		const { allowed_categories, auto_freeze_at, created_at, ...simplified } = card;
		expect([allowed_categories, auto_freeze_at, created_at]).toBeDefined();
		expect(result.items[0].json).toEqual(simplified);
		expect(Object.keys(result.items[0].json)).toHaveLength(10);
		const raw = await api.run({
			resource: 'card',
			operation: 'get',
			cardId: cardLocator(card.id),
			simple: false,
		});
		expect(raw.items[0].json).toEqual(card);

		// IDs from data arrive through expressions, past the editor's own check of the ID field.
		await expectRefused(
			api,
			{ resource: 'card', operation: 'get', cardId: cardLocator('={{ "../wallet" }}') },
			'Card',
			/must start with "card_"/,
		);
		await expectRefused(
			api,
			{ resource: 'card', operation: 'get', cardId: cardLocator('={{ "card_a/../../wallet" }}') },
			'Card',
			/letters and digits/,
		);
	});

	it('get of an unknown card is a clear error with the request id', async () => {
		await expectNotFound(
			api,
			{ resource: 'card', operation: 'get', cardId: cardLocator('card_0000000000') },
			'/cards/card_0000000000',
			'card_0000000000',
		);
	});

	it('getMany pages through every card, and a limit fetches only what it needs', async () => {
		await repeat(201, () => createCard(api, 1));
		await expectPaging(api, { resource: 'card', operation: 'getMany' }, route('listCards'), 201);
	});

	it('getMany filters reach the query', async () => {
		const [frozen] = await repeat(2, () => createCard(api, 5));
		await api.call(route('freezeCard'), { cardId: frozen.id });
		api.clearRequests();
		const result = await api.run({
			resource: 'card',
			operation: 'getMany',
			returnAll: true,
			filters: { status: 'frozen', binId: '491653' },
		});
		expect(api.requests()[0].query).toMatchObject({ status: 'frozen', bin_id: '491653' });
		expect(result.items.map((item) => item.json.id)).toEqual([frozen.id]);
	});

	it('getDetails masks the card number and nulls the CVV unless asked, with the same keys either way', async () => {
		const card = await createCard(api);
		const masked = await api.run({
			resource: 'card',
			operation: 'getDetails',
			cardId: cardLocator(card.id),
		});
		const output = masked.items[0].json;
		expect(output.pan).toMatch(new RegExp(`^${card.bin_id}\\*{6}${card.last4}$`));
		expect(output).toMatchObject({ card_id: card.id, cvv: null, masked: true });

		const full = await api.run({
			resource: 'card',
			operation: 'getDetails',
			cardId: cardLocator(card.id),
			includeSensitiveData: true,
		});
		const details = full.items[0].json;
		expect(details.pan).toMatch(/^\d{16}$/);
		expect(details.cvv).toMatch(/^\d{3}$/);
		expect(details.masked).toBe(false);
		// The same keys either way, so a table or an expression finds every column on every path.
		expect(Object.keys(details).sort()).toEqual(Object.keys(output).sort());
		expect(JSON.stringify(masked.run.data)).not.toContain(details.pan as string);
	});

	it('getDetails waits out the 30-a-minute limit instead of failing', async () => {
		await api.stop();
		api = await startTestApi({ rateLimits: { cardDetails: { max: 1, windowMs: 1000 } } });
		const card = await createCard(api);
		api.clearRequests();
		const result = await api.run(
			{ resource: 'card', operation: 'getDetails', cardId: cardLocator(card.id) },
			{ input: [{}, {}] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(api.requests().map((request) => request.status)).toEqual([200, 429, 200]);
	});

	it('freeze, unfreeze and terminate change the card; terminate returns the balance to the wallet', async () => {
		const card = await createCard(api, 300);
		api.clearRequests();
		const run = (operation: string) =>
			api.run({ resource: 'card', operation, cardId: cardLocator(card.id) });

		expect((await run('freeze')).items[0].json.status).toBe('frozen');
		expect((await run('unfreeze')).items[0].json.status).toBe('active');
		const walletBefore = api.emulator.state.wallet().balance;
		const terminated = (await run('terminate')).items[0].json as unknown as CardAndWallet;
		expect(terminated.card).toMatchObject({ status: 'terminated', balance: 0 });
		expect(terminated.wallet.balance).toBe(walletBefore + 300);
		expect(
			api
				.requests()
				.filter((request) => request.method === 'POST')
				.map((request) => request.path),
		).toEqual([
			`/cards/${card.id}/freeze`,
			`/cards/${card.id}/unfreeze`,
			`/cards/${card.id}/terminate`,
		]);
		expect(new Set(api.requests().map((request) => request.idempotencyKey)).size).toBe(3);

		api.clearRequests();
		const again = await run('terminate');
		expect(again.error?.httpCode).toBe('409');
		expect(again.error?.description).toContain('invalid_state');
		expect(again.error?.description).toContain(`request id: ${api.requests()[0].requestId}`);
		expect(api.requests()).toHaveLength(1);
		expect((api.emulator.state.wallet() as Wallet).balance).toBe(walletBefore + 300);
	});
});
