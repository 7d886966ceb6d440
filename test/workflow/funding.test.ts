import type { Card, CardAndWallet } from '../../nodes/PrivCards/contract';
import type { INode } from 'n8n-workflow';

import { actionNode, PASS_THROUGH_NODE_TYPE, runNode, runWorkflow } from '../../harness/n8n';
import { cardLocator, createCard, expectRefused, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

const cardBalance = (api: TestApi, id: string) =>
	api.emulator.state.cards().find((card) => card.id === id)?.balance;

let api: TestApi;
let card: Card;
beforeEach(async () => {
	api = await startTestApi();
	card = await createCard(api, 100);
	api.clearRequests();
});
afterEach(async () => await api.stop());

describe('funding resource', () => {
	it('fund moves the amount from the wallet to the card, to the cent, and outputs both', async () => {
		const wallet = api.emulator.state.wallet().balance;
		// 10.1 + 2.24 is 12.339999999999998 in floating point: the node sends the cents the user meant.
		const funded = await api.run({
			resource: 'funding',
			operation: 'fund',
			cardId: cardLocator(card.id),
			amount: '={{ 10.1 + 2.24 }}',
		});
		const [request] = api.requests();
		expect([request.method, request.path, request.body]).toEqual([
			'POST',
			`/cards/${card.id}/fund`,
			{ amount: 12.34 },
		]);
		expect(request.idempotencyKey).toMatch(/^n8n_/);
		const output = funded.items[0].json as unknown as CardAndWallet;
		expect(output.card.balance).toBe(112.34);
		expect(output.wallet.balance).toBe(Math.round((wallet - 12.34) * 100) / 100);
		expect(cardBalance(api, card.id)).toBe(112.34);

		api.clearRequests();
		const subCent = await api.run({
			resource: 'funding',
			operation: 'fund',
			cardId: cardLocator(card.id),
			amount: 12.345,
		});
		expect(subCent.error?.message).toMatch(/Amount must have at most 2 decimals .*\[item 0\]/);
		expect(api.requests()).toHaveLength(0);
	});

	it('withdraw moves money back; more than the card holds is refused by the API and not retried', async () => {
		const withdrawn = await api.run({
			resource: 'funding',
			operation: 'withdraw',
			cardId: cardLocator(card.id),
			amount: 40,
		});
		expect((withdrawn.items[0].json as unknown as CardAndWallet).card.balance).toBe(60);

		api.clearRequests();
		const tooMuch = await api.run({
			resource: 'funding',
			operation: 'withdraw',
			cardId: cardLocator(card.id),
			amount: 61,
		});
		expect(api.requests()).toHaveLength(1);
		expect(tooMuch.error?.httpCode).toBe('400');
		expect(tooMuch.error?.description).toContain('insufficient_card_balance');
		expect(tooMuch.error?.description).toContain(`request id: ${api.requests()[0].requestId}`);
		expect(cardBalance(api, card.id)).toBe(60);
	});

	it('fund refuses a card ID from data that is not one, before any request', async () => {
		await expectRefused(
			api,
			{
				resource: 'funding',
				operation: 'fund',
				cardId: cardLocator('={{ "card_x?amount=5000" }}'),
				amount: 5,
			},
			'Card',
			/letters and digits/,
		);
	});

	it('topUp funds only the gap to the target, and sends no funding request once there', async () => {
		const parameters = {
			resource: 'funding',
			operation: 'topUp',
			cardId: cardLocator(card.id),
			targetBalance: 250,
		};
		const first = await api.run(parameters);
		expect(first.items[0].json).toMatchObject({
			action: 'funded',
			amount_funded: 150,
			target_balance: 250,
		});
		expect(api.requests().map((request) => [request.method, request.path, request.body])).toEqual([
			['GET', `/cards/${card.id}`, undefined],
			// The card's latest payment: with the balance, what the funding request's key is derived from.
			['GET', '/transactions', undefined],
			['POST', `/cards/${card.id}/fund`, { amount: 150 }],
		]);

		api.clearRequests();
		const second = await api.run(parameters);
		expect(second.items[0].json).toMatchObject({ action: 'none', amount_funded: 0 });
		expect(api.requests().map((request) => request.method)).toEqual(['GET']);
		expect(cardBalance(api, card.id)).toBe(250);

		// The same compact keys whether money moved or not, each value once, in the API's snake_case.
		const keys = ['action', 'amount_funded', 'card', 'replayed', 'target_balance'];
		expect(Object.keys(first.items[0].json).sort()).toEqual(keys);
		expect(Object.keys(second.items[0].json).sort()).toEqual(keys);
		expect(second.items[0].json).toMatchObject({
			card: { id: card.id, balance: 250 },
			amount_funded: 0,
			target_balance: 250,
		});
		expect(first.items[0].json).toMatchObject({
			card: { id: card.id, balance: 250 },
			amount_funded: 150,
			target_balance: 250,
		});
	});

	it('topUp funds a gap over 5,000.00 in steps with a key each, and skips a gap under the 1.00 minimum', async () => {
		const big = await api.run({
			resource: 'funding',
			operation: 'topUp',
			cardId: cardLocator(card.id),
			targetBalance: 9100.5,
		});
		expect(big.items[0].json).toMatchObject({ action: 'funded', amount_funded: 9000.5 });
		const funds = api.requests().filter((request) => request.method === 'POST');
		expect(funds.map((request) => request.body)).toEqual([{ amount: 5000 }, { amount: 4000.5 }]);
		expect(new Set(funds.map((request) => request.idempotencyKey)).size).toBe(2);
		expect(cardBalance(api, card.id)).toBe(9100.5);

		api.clearRequests();
		const tiny = await api.run({
			resource: 'funding',
			operation: 'topUp',
			cardId: cardLocator(card.id),
			targetBalance: 9101,
		});
		expect(tiny.items[0].json).toMatchObject({ action: 'belowMinimum', amount_funded: 0 });
		expect(api.requests().map((request) => request.method)).toEqual(['GET']);
	});

	it('topUps of many cards keep their order and pairing', async () => {
		const cards = [card, await createCard(api, 10), await createCard(api, 400)];
		api.clearRequests();
		const result = await api.run(
			{
				resource: 'funding',
				operation: 'topUp',
				cardId: cardLocator('={{ $json.id }}'),
				targetBalance: 300,
			},
			{ input: cards.map(({ id }) => ({ id })) },
		);
		expect(
			result.items.map((item) => [
				item.pairedItem,
				(item.json.card as Card).id,
				item.json.amount_funded,
			]),
		).toEqual([
			[{ item: 0 }, cards[0].id, 200],
			[{ item: 1 }, cards[1].id, 290],
			[{ item: 2 }, cards[2].id, 0],
		]);
	});
});

describe('money safety when the network fails', () => {
	const fund = (amount = 25, extra: Record<string, unknown> = {}) =>
		api.run({
			resource: 'funding',
			operation: 'fund',
			cardId: cardLocator(card.id),
			amount,
			...extra,
		});

	it('two 503s: retried with the same idempotency key, and the money moves once', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			status: 503,
			times: 2,
		});
		const wallet = api.emulator.state.wallet().balance;
		const result = await fund();
		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => request.status)).toEqual([503, 503, 200]);
		expect(new Set(api.requests().map((request) => request.idempotencyKey)).size).toBe(1);
		expect(cardBalance(api, card.id)).toBe(125);
		expect(api.emulator.state.wallet().balance).toBe(wallet - 25);
	});

	it('a response lost after the API committed: the retry is answered from the idempotency store', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			resetConnection: 'afterCommit',
		});
		const result = await fund();
		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => [request.connectionReset, request.replayed])).toEqual([
			[true, false],
			[false, true],
		]);
		expect((result.items[0].json as unknown as CardAndWallet).card.balance).toBe(125);
		expect(cardBalance(api, card.id)).toBe(125);
	});

	it('a 429 is retried after its Retry-After', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			status: 429,
			retryAfterSeconds: 1,
		});
		const result = await fund();
		expect(result.error).toBeUndefined();
		expect(api.requests().map((request) => request.status)).toEqual([429, 200]);
		expect(cardBalance(api, card.id)).toBe(125);
	});

	it('a 400 is not retried, and its message, slug and request id reach the user', async () => {
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			status: 400,
			error: 'insufficient_funds',
			message: 'Your wallet balance is too low to fund this card.',
		});
		const result = await fund();
		expect(api.requests()).toHaveLength(1);
		expect(result.error?.message).toBe('Your wallet balance is too low to fund this card.');
		expect(result.error?.description).toContain('insufficient_funds');
		expect(result.error?.description).toContain(`request id: ${api.requests()[0].requestId}`);
		expect(result.error?.httpCode).toBe('400');
	});

	it("n8n's Retry On Fail re-sends the same key, so a movement committed before the failure is not repeated", async () => {
		// Every attempt of the node's first try fails after the API committed; n8n's retry then gets the kept answer.
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			resetConnection: 'afterCommit',
		});
		api.emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			status: 503,
			times: 4,
		});
		const result = await runNode(
			{
				parameters: {
					resource: 'funding',
					operation: 'fund',
					cardId: cardLocator(card.id),
					amount: 25,
				},
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 0,
			},
			{ credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl } },
		);
		expect(result.error).toBeUndefined();
		expect(api.requests()).toHaveLength(6);
		expect(api.requests().at(-1)?.replayed).toBe(true);
		expect(new Set(api.requests().map((request) => request.idempotencyKey)).size).toBe(1);
		expect(cardBalance(api, card.id)).toBe(125);
	});

	it('keys differ per item and per execution; a key given in Options is sent scoped to the node and the move', async () => {
		await api.run(
			{ resource: 'funding', operation: 'fund', cardId: cardLocator(card.id), amount: 1 },
			{ input: [{}, {}] },
		);
		await fund(1);
		const keys = api.requests().map((request) => request.idempotencyKey);
		expect(new Set(keys).size).toBe(3);

		api.clearRequests();
		const options = { idempotencyKey: '={{ "campaign-12-" + "2026-04" }}' };
		await fund(1, { options });
		await fund(1, { options });
		const [scoped] = api.requests().map((request) => request.idempotencyKey);
		expect(scoped).toMatch(/^user_[0-9a-f]{64}$/);
		expect(api.requests().map((request) => [request.idempotencyKey, request.replayed])).toEqual([
			[scoped, false],
			[scoped, true],
		]);
		expect(cardBalance(api, card.id)).toBe(104);
	});

	it('runs without an execution id never share a key, so a second run still moves money', async () => {
		const run = () =>
			runNode(
				{
					parameters: {
						resource: 'funding',
						operation: 'fund',
						cardId: cardLocator(card.id),
						amount: 5,
					},
				},
				{
					credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl },
					executionId: '',
				},
			);
		await run();
		await run();
		expect(api.requests().map((request) => request.replayed)).toEqual([false, false]);
		expect(new Set(api.requests().map((request) => request.idempotencyKey)).size).toBe(2);
		expect(cardBalance(api, card.id)).toBe(110);
	});

	it('an API that cannot be reached is retried, then reported without the API key', async () => {
		await api.stop();
		const result = await runNode(
			{
				parameters: {
					resource: 'funding',
					operation: 'fund',
					cardId: cardLocator(card.id),
					amount: 25,
				},
			},
			{ credential: { apiKey: 'sk_test_secretsecret', baseUrl: api.emulator.baseUrl } },
		);
		expect(result.error?.message).toMatch(/Could not reach PrivCards/);
		expect(JSON.stringify(result.run.data)).not.toContain('sk_test_secretsecret');
	});
});

describe('a node that runs more than once in one execution', () => {
	it('sends a new key on each run, so a loop funds each time it passes', async () => {
		const passThrough = (name: string, x: number): INode => ({
			id: name,
			name,
			type: PASS_THROUGH_NODE_TYPE,
			typeVersion: 1,
			position: [x, 0],
			parameters: {},
		});
		const fundNode = actionNode({
			name: 'Fund',
			parameters: {
				resource: 'funding',
				operation: 'fund',
				cardId: cardLocator(card.id),
				amount: 5,
			},
		});
		const to = (node: string) => ({ main: [[{ node, type: 'main' as const, index: 0 }]] });
		const result = await runWorkflow(
			[
				passThrough('Start', 0),
				passThrough('First pass', 200),
				passThrough('Second pass', 200),
				fundNode,
			],
			{
				Start: {
					main: [
						[
							{ node: 'First pass', type: 'main', index: 0 },
							{ node: 'Second pass', type: 'main', index: 0 },
						],
					],
				},
				'First pass': to('Fund'),
				'Second pass': to('Fund'),
			},
			'Start',
			{ credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl } },
		);
		expect(result.error).toBeUndefined();
		expect(result.run.data.resultData.runData.Fund).toHaveLength(2);
		const keys = api.requests().map((request) => request.idempotencyKey);
		expect(keys).toHaveLength(2);
		expect(new Set(keys).size).toBe(2);
		expect(cardBalance(api, card.id)).toBe(110);
	});
});
