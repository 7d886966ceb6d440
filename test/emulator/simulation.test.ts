import { ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import type { Card } from '../../nodes/PrivCards/contract';
import { cardSchema, depositSchema, transactionSchema } from '../../emulator/schemas';
import {
	authorize,
	createCard,
	expectAnswer,
	expectError,
	MASTERCARD_SOFTWARE_BIN,
	movableClock,
	pathOf,
	useEmulator,
	VISA_NO_3DS_BIN,
} from './helpers';

describe('POST /sandbox/deposits and /sandbox/deposits/{depositId}/confirm', () => {
	const bed = useEmulator();

	it('records a pending deposit (deposit.pending), then credits the wallet on confirm (deposit.confirmed)', async () => {
		const response = await bed.client.post(SANDBOX_ROUTES.createDeposit.path, {
			currency: 'eth',
			amount_usd: 600,
		});
		const deposit = expectAnswer(response, 201, depositSchema);
		expect(deposit).toMatchObject({
			currency: 'eth',
			amount: 0.2,
			amount_usd: 600,
			status: 'pending',
			confirmed_at: null,
		});
		expect(bed.emulator.state.wallet()).toMatchObject({ balance: 10000, pending_deposits: 600 });

		const confirmPath = pathOf(SANDBOX_ROUTES.confirmDeposit, { depositId: deposit.id });
		const confirmed = expectAnswer(await bed.client.post(confirmPath), 200, depositSchema);
		expect(confirmed).toMatchObject({
			id: deposit.id,
			status: 'confirmed',
			confirmed_at: expect.any(String),
		});
		expect(bed.emulator.state.wallet()).toMatchObject({
			balance: 10600,
			pending_deposits: 0,
			total_deposited: 10600,
		});
		expect(bed.emulator.events.map((event) => event.type)).toEqual([
			'deposit.pending',
			'deposit.confirmed',
		]);

		expectError(await bed.client.post(confirmPath), 409, 'invalid_state');
		expect(bed.emulator.state.wallet().balance).toBe(10600);
		expectError(
			await bed.client.post(pathOf(SANDBOX_ROUTES.confirmDeposit, { depositId: 'dep_0000000000' })),
			404,
			'not_found',
		);
	});

	it('refuses a deposit under the address minimum or in an unknown currency', async () => {
		expectError(
			await bed.client.post(SANDBOX_ROUTES.createDeposit.path, {
				currency: 'btc',
				amount_usd: 49.99,
			}),
			400,
			'invalid_request',
			'amount_usd',
		);
		expectError(
			await bed.client.post(SANDBOX_ROUTES.createDeposit.path, {
				currency: 'doge',
				amount_usd: 100,
			}),
			400,
			'invalid_request',
			'currency',
		);
	});
});

describe('POST /sandbox/authorizations', () => {
	const clock = movableClock('2026-04-20T10:00:00Z');
	const bed = useEmulator({ now: clock.now });

	const cardNow = (card: Card) =>
		bed.emulator.state.cards().find((candidate) => candidate.id === card.id);

	it('authorizes within the rules: holds the amount on the card and emits transaction.authorized', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const response = await bed.client.post(SANDBOX_ROUTES.authorize.path, {
			card_id: card.id,
			amount: 30.5,
			merchant: { name: 'META ADS', mcc: '7311', category: 'advertising', country: 'IE' },
		});
		const authorization = expectAnswer(response, 201, transactionSchema);
		expect(authorization).toMatchObject({
			card_id: card.id,
			type: 'authorization',
			amount: 30.5,
			currency: 'USD',
			merchant: { name: 'META ADS', mcc: '7311', category: 'advertising', country: 'IE' },
			decline_reason: null,
			authorization_id: null,
			created_at: '2026-04-20T10:00:00Z',
		});
		expect(cardNow(card)?.balance).toBe(69.5);
		expect(bed.emulator.events.at(-1)).toMatchObject({
			type: 'transaction.authorized',
			data: authorization,
		});
	});

	it.each([
		['card_frozen', { amount: 10 }, ROUTES.freezeCard],
		['card_terminated', { amount: 10 }, ROUTES.terminateCard],
		['category_not_allowed', { amount: 10, category: 'gambling' }, undefined],
		['exceeds_max_transaction', { amount: 1000.01, category: 'software' }, undefined],
		['insufficient_balance', { amount: 200.01, category: 'software' }, undefined],
	] as const)('declines with %s, moving no money', async (reason, payment, action) => {
		const card = await createCard(bed.client, {
			bin_id: MASTERCARD_SOFTWARE_BIN,
			amount: 200,
			allowed_categories: ['software'],
		});
		if (action !== undefined) await bed.client.post(pathOf(action, { cardId: card.id }));
		const balance = cardNow(card)?.balance;
		const decline = await authorize(bed.client, card, payment);
		expect(decline).toMatchObject({
			type: 'decline',
			decline_reason: reason,
			amount: payment.amount,
		});
		expect(cardNow(card)?.balance).toBe(balance);
		expect(bed.emulator.events.at(-1)).toMatchObject({
			type: 'transaction.declined',
			data: { id: decline.id },
		});
	});

	it('declines with spending_limit_exceeded once the month’s authorizations would pass the limit, and resets next month', async () => {
		const card = await createCard(bed.client, { amount: 500, spending_limit: 100 });
		expect((await authorize(bed.client, card, { amount: 60 })).type).toBe('authorization');
		expect(await authorize(bed.client, card, { amount: 40.01 })).toMatchObject({
			type: 'decline',
			decline_reason: 'spending_limit_exceeded',
		});
		expect((await authorize(bed.client, card, { amount: 40 })).type).toBe('authorization');
		clock.set('2026-05-01T00:00:00Z');
		expect((await authorize(bed.client, card, { amount: 100 })).type).toBe('authorization');
	});

	it('freezes the card (card.frozen) when the balance falls below auto_freeze_at', async () => {
		const card = await createCard(bed.client, { amount: 100, auto_freeze_at: 50 });
		await authorize(bed.client, card, { amount: 50 });
		expect(cardNow(card)?.status).toBe('active');
		await authorize(bed.client, card, { amount: 0.01 });
		expect(cardNow(card)).toMatchObject({ status: 'frozen', balance: 49.99 });
		expect(bed.emulator.events.slice(-2).map((event) => event.type)).toEqual([
			'transaction.authorized',
			'card.frozen',
		]);
		expect(cardSchema.parse(bed.emulator.events.at(-1)?.data).status).toBe('frozen');
	});

	it('opens a 3DS challenge with an OTP (3ds.challenge) when asked, on a BIN with 3DS only', async () => {
		const card = await createCard(bed.client);
		await authorize(bed.client, card, { amount: 9.99, require_3ds: true });
		const [challenge] = bed.emulator.state.challenges();
		expect(challenge).toMatchObject({
			card_id: card.id,
			merchant: 'META ADS',
			amount: 9.99,
			status: 'pending',
		});
		expect(challenge.otp).toMatch(/^\d{6}$/);
		expect(bed.emulator.events.slice(-2).map((event) => event.type)).toEqual([
			'3ds.challenge',
			'transaction.authorized',
		]);

		const no3ds = await createCard(bed.client, { bin_id: VISA_NO_3DS_BIN });
		await authorize(bed.client, no3ds, { amount: 5, require_3ds: true });
		expect(bed.emulator.state.challenges()).toHaveLength(1);
	});

	it('answers 404 with param card_id for an unknown card', async () => {
		const response = await bed.client.post(SANDBOX_ROUTES.authorize.path, {
			card_id: 'card_0000000000',
			amount: 1,
			merchant: { name: 'X', category: 'advertising' },
		});
		expectError(response, 404, 'not_found', 'card_id');
	});
});

describe('POST /sandbox/transactions/{transactionId}/settle and /refund', () => {
	const bed = useEmulator();

	it('settles an authorization once (transaction.settled) and counts it as spent', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const authorization = await authorize(bed.client, card, { amount: 25 });
		const path = pathOf(SANDBOX_ROUTES.settleTransaction, { transactionId: authorization.id });
		const settlement = expectAnswer(await bed.client.post(path), 201, transactionSchema);
		expect(settlement).toMatchObject({
			type: 'settlement',
			amount: 25,
			authorization_id: authorization.id,
		});
		expect(settlement.id).not.toBe(authorization.id);
		expect(bed.emulator.state.wallet().total_spent).toBe(25);
		expect(bed.emulator.events.at(-1)?.type).toBe('transaction.settled');
		expectError(await bed.client.post(path), 409, 'invalid_state');
		expectError(
			await bed.client.post(
				pathOf(SANDBOX_ROUTES.settleTransaction, { transactionId: settlement.id }),
			),
			409,
			'invalid_state',
		);
	});

	it('refunds a settled authorization once (transaction.refunded), back onto the card', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const authorization = await authorize(bed.client, card, { amount: 25 });
		const refundPath = pathOf(SANDBOX_ROUTES.refundTransaction, {
			transactionId: authorization.id,
		});
		expectError(await bed.client.post(refundPath), 409, 'invalid_state');
		const settlePath = pathOf(SANDBOX_ROUTES.settleTransaction, {
			transactionId: authorization.id,
		});
		const settlement = expectAnswer(await bed.client.post(settlePath), 201, transactionSchema);

		const refund = expectAnswer(
			await bed.client.post(
				pathOf(SANDBOX_ROUTES.refundTransaction, { transactionId: settlement.id }),
			),
			201,
			transactionSchema,
		);
		expect(refund).toMatchObject({
			type: 'refund',
			amount: 25,
			authorization_id: authorization.id,
		});
		expect(bed.emulator.state.cards()[0].balance).toBe(100);
		expect(bed.emulator.state.wallet().total_spent).toBe(0);
		expect(bed.emulator.events.at(-1)?.type).toBe('transaction.refunded');
		expectError(await bed.client.post(refundPath), 409, 'invalid_state');
	});

	it('refunds to the wallet when the card has been terminated since', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const authorization = await authorize(bed.client, card, { amount: 40 });
		await bed.client.post(
			pathOf(SANDBOX_ROUTES.settleTransaction, { transactionId: authorization.id }),
		);
		await bed.client.post(pathOf(ROUTES.terminateCard, { cardId: card.id }));
		expect(bed.emulator.state.wallet().balance).toBe(9960);
		await bed.client.post(
			pathOf(SANDBOX_ROUTES.refundTransaction, { transactionId: authorization.id }),
		);
		expect(bed.emulator.state.wallet().balance).toBe(10000);
		expect(bed.emulator.state.cards()[0].balance).toBe(0);
	});
});
