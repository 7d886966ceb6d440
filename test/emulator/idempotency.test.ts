import { HEADERS, ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import { SANDBOX_TEST_KEY } from '../../emulator/emulator';
import { cardAndWalletSchema, cardSchema, depositSchema } from '../../emulator/schemas';
import {
	createCard,
	expectAnswer,
	expectError,
	movableClock,
	pathOf,
	useEmulator,
	withEmulator,
} from './helpers';
import { sleep } from './node-helpers';

const keyed = (key: string) => ({ [HEADERS.idempotencyKey]: key });

describe('X-Idempotency-Key', () => {
	const clock = movableClock();
	const bed = useEmulator({ now: clock.now });

	it('replays the first success for a repeat, with Idempotent-Replayed: true and no second effect', async () => {
		const card = await createCard(bed.client);
		const path = pathOf(ROUTES.fundCard, { cardId: card.id });
		const first = await bed.client.post(path, { amount: 100 }, keyed('fund-1'));
		const repeat = await bed.client.post(path, { amount: 100 }, keyed('fund-1'));
		expect(first.headers.get('idempotent-replayed')).toBeNull();
		expect(repeat.headers.get('idempotent-replayed')).toBe('true');
		expect(repeat.status).toBe(200);
		expect(repeat.body).toEqual(first.body);
		expect(expectAnswer(repeat, 200, cardAndWalletSchema).card.balance).toBe(600);
		expect(bed.emulator.state.wallet().balance).toBe(9400);
		expect(bed.emulator.events.filter((event) => event.type === 'card.funded')).toHaveLength(1);
		expect(bed.emulator.requests.slice(-2).map((request) => request.replayed)).toEqual([
			false,
			true,
		]);
	});

	it('treats the same JSON with its keys in another order as the same body', async () => {
		const first = await bed.client.post(
			ROUTES.createCard.path,
			{ bin_id: '491653', amount: 10 },
			keyed('k'),
		);
		const repeat = await bed.client.post(
			ROUTES.createCard.path,
			{ amount: 10, bin_id: '491653' },
			keyed('k'),
		);
		expect(repeat.headers.get('idempotent-replayed')).toBe('true');
		expect(expectAnswer(repeat, 201, cardSchema).id).toBe(expectAnswer(first, 201, cardSchema).id);
		expect(bed.emulator.state.cards()).toHaveLength(1);
	});

	it('answers 409 idempotency_key_reused for another body or another path under the same key', async () => {
		const card = await createCard(bed.client);
		await bed.client.post(
			pathOf(ROUTES.fundCard, { cardId: card.id }),
			{ amount: 100 },
			keyed('fund-2'),
		);
		const otherBody = await bed.client.post(
			pathOf(ROUTES.fundCard, { cardId: card.id }),
			{ amount: 101 },
			keyed('fund-2'),
		);
		expectError(otherBody, 409, 'idempotency_key_reused', HEADERS.idempotencyKey);
		const otherPath = await bed.client.post(
			pathOf(ROUTES.withdrawFromCard, { cardId: card.id }),
			{ amount: 100 },
			keyed('fund-2'),
		);
		expectError(otherPath, 409, 'idempotency_key_reused');
		expect(bed.emulator.state.cards()[0].balance).toBe(600);
	});

	it('answers 409 idempotency_key_in_use while the first request with the key still runs', async () => {
		const card = await createCard(bed.client);
		const path = pathOf(ROUTES.fundCard, { cardId: card.id });
		bed.emulator.faults.inject({ method: 'POST', path: '/cards/*/fund', delayMs: 150 });
		const slow = bed.client.post(path, { amount: 100 }, keyed('fund-3'));
		await sleep(50);
		expectError(
			await bed.client.post(path, { amount: 100 }, keyed('fund-3')),
			409,
			'idempotency_key_in_use',
		);
		expect((await slow).status).toBe(200);
		expect(
			(await bed.client.post(path, { amount: 100 }, keyed('fund-3'))).headers.get(
				'idempotent-replayed',
			),
		).toBe('true');
		expect(bed.emulator.state.cards()[0].balance).toBe(600);
	});

	it('keeps no error: the same key works once the cause is fixed', async () => {
		await withEmulator({ walletBalance: 50 }, async ({ emulator, client }) => {
			const card = { bin_id: '491653', amount: 100 };
			expectError(
				await client.post(ROUTES.createCard.path, card, keyed('card-1')),
				400,
				'insufficient_funds',
			);
			const deposit = expectAnswer(
				await client.post(SANDBOX_ROUTES.createDeposit.path, { currency: 'usdt', amount_usd: 100 }),
				201,
				depositSchema,
			);
			await client.post(pathOf(SANDBOX_ROUTES.confirmDeposit, { depositId: deposit.id }));
			const retried = await client.post(ROUTES.createCard.path, card, keyed('card-1'));
			expect(retried.status).toBe(201);
			expect(retried.headers.get('idempotent-replayed')).toBeNull();
			expect(emulator.state.cards()).toHaveLength(1);
		});
	});

	it('keeps a success for 24 hours', async () => {
		const body = { bin_id: '491653', amount: 10 };
		await bed.client.post(ROUTES.createCard.path, body, keyed('daily'));
		clock.advance(24 * 60 * 60 * 1000 - 1000);
		const withinDay = await bed.client.post(ROUTES.createCard.path, body, keyed('daily'));
		expect(withinDay.headers.get('idempotent-replayed')).toBe('true');
		clock.advance(2000);
		const nextDay = await bed.client.post(ROUTES.createCard.path, body, keyed('daily'));
		expect(nextDay.headers.get('idempotent-replayed')).toBeNull();
		expect(bed.emulator.state.cards()).toHaveLength(2);
	});

	it('refuses a key longer than 255 characters, and ignores the header on a GET', async () => {
		const tooLong = await bed.client.post(
			ROUTES.createCard.path,
			{ bin_id: '491653', amount: 10 },
			keyed('k'.repeat(256)),
		);
		expectError(tooLong, 400, 'invalid_request', HEADERS.idempotencyKey);
		expect(
			(
				await bed.client.post(
					ROUTES.createCard.path,
					{ bin_id: '491653', amount: 10 },
					keyed('k'.repeat(255)),
				)
			).status,
		).toBe(201);
		const read = await bed.client.request('GET', ROUTES.getWallet.path, {
			headers: keyed('k'.repeat(255)),
		});
		expect(read.headers.get('idempotent-replayed')).toBeNull();
	});
});

describe('X-Idempotency-Key scope', () => {
	it('is scoped to the API key: the same key under another API key is a new request', async () => {
		const otherKey = `${SANDBOX_TEST_KEY}2`;
		await withEmulator({ apiKeys: [SANDBOX_TEST_KEY, otherKey] }, async ({ emulator, client }) => {
			const body = { bin_id: '491653', amount: 10 };
			const options = { body, headers: keyed('shared') };
			const mine = await client.request('POST', ROUTES.createCard.path, options);
			const theirs = await client.request('POST', ROUTES.createCard.path, {
				...options,
				apiKey: otherKey,
			});
			expect([mine.status, theirs.status]).toEqual([201, 201]);
			expect(theirs.headers.get('idempotent-replayed')).toBeNull();
			expect(emulator.state.cards()).toHaveLength(2);
		});
	});
});
