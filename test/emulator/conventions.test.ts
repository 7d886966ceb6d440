import { LIVE_KEY_PREFIX, ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import { SANDBOX_TEST_KEY, startEmulator } from '../../emulator/emulator';
import { cardAndWalletSchema } from '../../emulator/schemas';
import {
	createCard,
	expectAnswer,
	expectError,
	pathOf,
	useEmulator,
	withEmulator,
} from './helpers';
import { sleep } from './node-helpers';

describe('emulator conventions', () => {
	const bed = useEmulator();

	it('serves every route of the contract and the sandbox table', async () => {
		const params = {
			cardId: 'card_0000000000',
			transactionId: 'txn_0000000000',
			challengeId: '3ds_0000000000',
		};
		const allParams = { ...params, webhookId: 'wh_0000000000', depositId: 'dep_0000000000' };
		for (const route of [...Object.values(ROUTES), ...Object.values(SANDBOX_ROUTES)]) {
			const response = await bed.client.request(route.method, pathOf(route, allParams));
			const message = (response.body as { message?: string }).message ?? '';
			expect({ route: route.path, routeMissing: message.startsWith('No route') }).toEqual({
				route: route.path,
				routeMissing: false,
			});
		}
	});

	it('answers 401 missing_api_key without a key and invalid_api_key for an unknown or ill-formed one', async () => {
		expectError(
			await bed.client.get(ROUTES.getWallet.path, undefined, null),
			401,
			'missing_api_key',
		);
		const bearerOnly = await bed.client.request('GET', ROUTES.getWallet.path, {
			apiKey: null,
			headers: { Authorization: 'Bearer ' },
		});
		expectError(bearerOnly, 401, 'missing_api_key');
		expectError(
			await bed.client.get(ROUTES.getWallet.path, undefined, 'sk_test_unknown'),
			401,
			'invalid_api_key',
		);
		const basic = await bed.client.request('GET', ROUTES.getWallet.path, {
			apiKey: null,
			headers: { Authorization: `Basic ${SANDBOX_TEST_KEY}` },
		});
		expectError(basic, 401, 'invalid_api_key');
	});

	it('puts an X-Request-Id on every answer, and repeats it in error bodies', async () => {
		const success = await bed.client.get(ROUTES.getWallet.path);
		expect(success.headers.get('x-request-id')).toMatch(/^req_[A-Za-z0-9]{10}$/);
		const failure = await bed.client.get('/cards/card_0000000000');
		expectError(failure, 404, 'not_found');
		expect(failure.headers.get('x-request-id')).not.toBe(success.headers.get('x-request-id'));
	});

	it('answers 404 for an unknown route or a path outside the API prefix', async () => {
		expectError(await bed.client.get('/nothing-here'), 404, 'not_found');
		const outside = await fetch(bed.emulator.baseUrl.replace(/\/v1$/, '/wallet'), {
			headers: { Authorization: `Bearer ${bed.emulator.testKey}` },
		});
		expect(outside.status).toBe(404);
	});

	it('refuses a body that is not JSON, and names an unknown or invalid field in `param`', async () => {
		const notJson = await bed.client.request('POST', ROUTES.createCard.path, {
			body: 'not json',
			headers: { 'Content-Type': 'text/plain' },
		});
		expectError(notJson, 400, 'invalid_request');
		const unknown = await bed.client.post(ROUTES.createCard.path, { binId: '491653', amount: 10 });
		expectError(unknown, 400, 'invalid_request', 'binId');
		const nested = await bed.client.post(ROUTES.createCard.path, {
			bin_id: '491653',
			amount: 10,
			metadata: { campaign: 7 },
		});
		expectError(nested, 400, 'invalid_request', 'metadata.campaign');
		expectError(
			await bed.client.get(ROUTES.getWallet.path, { page: '1' }),
			400,
			'invalid_request',
			'page',
		);
	});

	it('keeps money exact: a card issued with 1.10 and funded 2.20 holds exactly 3.30', async () => {
		expect(1.1 + 2.2).not.toBe(3.3);
		const card = await createCard(bed.client, { amount: 1.1 });
		const funded = await bed.client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), {
			amount: 2.2,
		});
		const { card: after, wallet } = expectAnswer(funded, 200, cardAndWalletSchema);
		expect(after.balance).toBe(3.3);
		expect(wallet.balance).toBe(9996.7);
		expect(wallet.cards_total_balance).toBe(3.3);
	});

	it('refuses amounts with more than 2 decimals, such as 0.1 + 0.2', async () => {
		const create = await bed.client.post(ROUTES.createCard.path, {
			bin_id: '491653',
			amount: 10.005,
		});
		expectError(create, 400, 'invalid_request', 'amount');
		const card = await createCard(bed.client);
		const payment = await bed.client.post(SANDBOX_ROUTES.authorize.path, {
			card_id: card.id,
			amount: 0.1 + 0.2,
			merchant: { name: 'SPOTIFY', category: 'software' },
		});
		expectError(payment, 400, 'invalid_request', 'amount');
	});

	it('logs each request with its path, query, redacted headers, body, status and idempotency key', async () => {
		await bed.client.get(ROUTES.listCards.path, { status: 'active', per_page: 5 });
		await bed.client.post(
			ROUTES.createCard.path,
			{ bin_id: '491653', amount: 5 },
			{ 'X-Idempotency-Key': 'k-1' },
		);
		const [list, create] = bed.emulator.requests;
		expect(list).toMatchObject({
			method: 'GET',
			path: '/cards',
			query: { status: 'active', per_page: '5' },
			status: 200,
			idempotencyKey: null,
			replayed: false,
		});
		expect(create).toMatchObject({
			method: 'POST',
			path: '/cards',
			body: { bin_id: '491653', amount: 5 },
			status: 201,
			idempotencyKey: 'k-1',
		});
		expect(create.headers.authorization).toBe('Bearer [redacted]');
		expect(JSON.stringify(bed.emulator.requests)).not.toContain(bed.emulator.testKey);
		bed.emulator.clearRequests();
		expect(bed.emulator.requests).toHaveLength(0);
	});
});

describe('emulator options', () => {
	it('refuses a sandbox route to a live key with 403 forbidden, while serving it the API', async () => {
		const liveKey = `${LIVE_KEY_PREFIX}emulator0live`;
		await withEmulator({ apiKeys: [SANDBOX_TEST_KEY, liveKey] }, async ({ emulator, client }) => {
			expect((await client.get(ROUTES.getWallet.path, undefined, liveKey)).status).toBe(200);
			const response = await client.request('POST', SANDBOX_ROUTES.createDeposit.path, {
				apiKey: liveKey,
				body: { currency: 'usdt', amount_usd: 100 },
			});
			expectError(response, 403, 'forbidden');
			expect(emulator.state.deposits()).toHaveLength(0);
		});
	});

	it('limits every other route to the general rate per key, with Retry-After', async () => {
		await withEmulator(
			{ rateLimits: { minute: { max: 3, windowMs: 150 } } },
			async ({ client }) => {
				const statuses = [];
				for (let index = 0; index < 4; index++)
					statuses.push((await client.get(ROUTES.listBins.path)).status);
				expect(statuses).toEqual([200, 200, 200, 429]);
				const refused = await client.get(ROUTES.listBins.path);
				expectError(refused, 429, 'rate_limited');
				expect(refused.headers.get('retry-after')).toBe('1');
				await sleep(160);
				expect((await client.get(ROUTES.listBins.path)).status).toBe(200);
			},
		);
	});

	it('opens the wallet with the given balance and refuses keys without a known prefix', async () => {
		await withEmulator({ walletBalance: 12.34 }, async ({ emulator }) => {
			expect(emulator.state.wallet()).toMatchObject({ balance: 12.34, total_deposited: 12.34 });
			expect(emulator.baseUrl).toBe(`http://127.0.0.1:${emulator.port}/v1`);
		});
		await expect(startEmulator({ apiKeys: ['pk_nope'] })).rejects.toThrow(/must start with/);
	});
});
