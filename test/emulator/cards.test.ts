import { ROUTES } from '../../nodes/PrivCards/contract';
import {
	cardAndWalletSchema,
	cardDetailsSchema,
	cardSchema,
	listPageSchema,
	webhookEventSchema,
} from '../../emulator/schemas';
import {
	createCard,
	expectAnswer,
	expectError,
	MASTERCARD_SOFTWARE_BIN,
	movableClock,
	pathOf,
	useEmulator,
	VISA_ADVERTISING_BIN,
	withEmulator,
} from './helpers';
import { sleep } from './node-helpers';

function isLuhnValid(digits: string): boolean {
	const sum = [...digits].reverse().reduce((total, character, index) => {
		const digit = Number(character) * (index % 2 === 1 ? 2 : 1);
		return total + (digit > 9 ? digit - 9 : digit);
	}, 0);
	return sum % 10 === 0;
}

const cardPage = listPageSchema(cardSchema);

describe('POST /cards', () => {
	const clock = movableClock('2026-04-15T12:00:00Z');
	const bed = useEmulator({ now: clock.now });

	it('issues the documented example card, debits the wallet and emits card.created', async () => {
		const response = await bed.client.post(ROUTES.createCard.path, {
			bin_id: VISA_ADVERTISING_BIN,
			amount: 500,
			label: 'Meta Ads Campaign #12',
			spending_limit: 2000,
			allowed_categories: ['advertising'],
			metadata: { campaign: 'spring_2026' },
		});
		const card = expectAnswer(response, 201, cardSchema);
		expect(card).toMatchObject({
			bin_id: VISA_ADVERTISING_BIN,
			network: 'visa',
			status: 'active',
			balance: 500,
			spending_limit: 2000,
			label: 'Meta Ads Campaign #12',
			allowed_categories: ['advertising'],
			auto_freeze_at: null,
			metadata: { campaign: 'spring_2026' },
			created_at: '2026-04-15T12:00:00Z',
			expires_at: '2029-04-15T23:59:59Z',
		});
		expect(bed.emulator.state.wallet()).toMatchObject({
			balance: 9500,
			cards_active: 1,
			cards_total_balance: 500,
		});
		expect(bed.emulator.events.map((event) => webhookEventSchema.parse(event))).toEqual([
			expect.objectContaining({ type: 'card.created', data: card }),
		]);
	});

	it('defaults the spending limit to the BIN maximum and takes the network from the BIN', async () => {
		const card = await createCard(bed.client, { bin_id: MASTERCARD_SOFTWARE_BIN, amount: 20 });
		expect(card).toMatchObject({
			network: 'mastercard',
			spending_limit: 10000,
			label: null,
			metadata: {},
		});
	});

	it('refuses an unknown BIN, a spending limit above the BIN maximum and out-of-range amounts', async () => {
		const post = (body: object) =>
			bed.client.post(ROUTES.createCard.path, {
				bin_id: VISA_ADVERTISING_BIN,
				amount: 10,
				...body,
			});
		expectError(await post({ bin_id: '400000' }), 400, 'invalid_request', 'bin_id');
		expectError(await post({ spending_limit: 50000.01 }), 400, 'invalid_request', 'spending_limit');
		expectError(await post({ amount: 0.99 }), 400, 'invalid_request', 'amount');
		expectError(await post({ amount: 5000.01 }), 400, 'invalid_request', 'amount');
		expect((await post({ amount: 5000 })).status).toBe(201);
		expectError(await post({ label: 'x'.repeat(65) }), 400, 'invalid_request', 'label');
		expectError(await post({ auto_freeze_at: -1 }), 400, 'invalid_request', 'auto_freeze_at');
		const tooMany = Object.fromEntries(
			Array.from({ length: 21 }, (_, index) => [`k${index}`, 'v']),
		);
		expectError(await post({ metadata: tooMany }), 400, 'invalid_request', 'metadata');
		expectError(await post({ metadata: { ['k'.repeat(41)]: 'v' } }), 400, 'invalid_request');
		expectError(
			await post({ metadata: { k: 'v'.repeat(501) } }),
			400,
			'invalid_request',
			'metadata.k',
		);
		expect(bed.emulator.state.cards()).toHaveLength(1);
	});

	it('answers 400 insufficient_funds when the wallet cannot pay, and changes nothing', async () => {
		await withEmulator({ walletBalance: 100 }, async ({ emulator, client }) => {
			const response = await client.post(ROUTES.createCard.path, {
				bin_id: VISA_ADVERTISING_BIN,
				amount: 100.01,
			});
			expectError(response, 400, 'insufficient_funds', 'amount');
			expect(emulator.state.cards()).toEqual([]);
			expect(emulator.state.wallet().balance).toBe(100);
		});
	});
});

describe('GET /cards', () => {
	const bed = useEmulator();

	it('lists newest first, pages with has_more and total, and filters by status and bin_id', async () => {
		const first = await createCard(bed.client, { label: 'first' });
		const second = await createCard(bed.client, {
			bin_id: MASTERCARD_SOFTWARE_BIN,
			label: 'second',
		});
		const third = await createCard(bed.client, { label: 'third' });
		await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: second.id }));

		const page1 = expectAnswer(
			await bed.client.get(ROUTES.listCards.path, { per_page: 2 }),
			200,
			cardPage,
		);
		expect(page1).toMatchObject({ page: 1, per_page: 2, total: 3, has_more: true });
		expect(page1.data.map((card) => card.id)).toEqual([third.id, second.id]);
		const page2 = expectAnswer(
			await bed.client.get(ROUTES.listCards.path, { per_page: 2, page: 2 }),
			200,
			cardPage,
		);
		expect(page2).toMatchObject({ page: 2, total: 3, has_more: false });
		expect(page2.data.map((card) => card.id)).toEqual([first.id]);
		const beyond = expectAnswer(
			await bed.client.get(ROUTES.listCards.path, { page: 5 }),
			200,
			cardPage,
		);
		expect(beyond).toMatchObject({ data: [], has_more: false, per_page: 25 });

		const frozen = expectAnswer(
			await bed.client.get(ROUTES.listCards.path, { status: 'frozen' }),
			200,
			cardPage,
		);
		expect(frozen.data.map((card) => card.id)).toEqual([second.id]);
		const visa = expectAnswer(
			await bed.client.get(ROUTES.listCards.path, { bin_id: VISA_ADVERTISING_BIN }),
			200,
			cardPage,
		);
		expect(visa.data.map((card) => card.id)).toEqual([third.id, first.id]);
	});

	it('refuses per_page outside 1–100, a page below 1 and an unknown status', async () => {
		expectError(
			await bed.client.get(ROUTES.listCards.path, { per_page: 101 }),
			400,
			'invalid_request',
			'per_page',
		);
		expectError(
			await bed.client.get(ROUTES.listCards.path, { per_page: 0 }),
			400,
			'invalid_request',
			'per_page',
		);
		expectError(
			await bed.client.get(ROUTES.listCards.path, { page: 0 }),
			400,
			'invalid_request',
			'page',
		);
		expectError(
			await bed.client.get(ROUTES.listCards.path, { page: '1.5' }),
			400,
			'invalid_request',
			'page',
		);
		expectError(
			await bed.client.get(ROUTES.listCards.path, { status: 'lost' }),
			400,
			'invalid_request',
			'status',
		);
		expect((await bed.client.get(ROUTES.listCards.path, { per_page: 100 })).status).toBe(200);
	});
});

describe('GET /cards/{cardId}', () => {
	const bed = useEmulator();

	it('answers the card, or 404 not_found', async () => {
		const card = await createCard(bed.client);
		expect(
			expectAnswer(
				await bed.client.get(pathOf(ROUTES.getCard, { cardId: card.id })),
				200,
				cardSchema,
			),
		).toEqual(card);
		expectError(
			await bed.client.get(pathOf(ROUTES.getCard, { cardId: 'card_0000000000' })),
			404,
			'not_found',
		);
	});
});

describe('GET /cards/{cardId}/details', () => {
	const bed = useEmulator({ now: movableClock('2026-04-15T12:00:00Z').now });

	it('answers a Luhn-valid PAN that starts with the BIN and ends with last4, a CVV and the expiry', async () => {
		const card = await createCard(bed.client);
		const details = expectAnswer(
			await bed.client.get(pathOf(ROUTES.getCardDetails, { cardId: card.id })),
			200,
			cardDetailsSchema,
		);
		expect(details.card_id).toBe(card.id);
		expect(details.pan.startsWith(VISA_ADVERTISING_BIN)).toBe(true);
		expect(details.pan.endsWith(card.last4)).toBe(true);
		expect(isLuhnValid(details.pan)).toBe(true);
		expect({ month: details.exp_month, year: details.exp_year }).toEqual({ month: 4, year: 2029 });
	});

	it('answers 409 invalid_state for a terminated card and 404 for an unknown one', async () => {
		const card = await createCard(bed.client);
		await bed.client.post(pathOf(ROUTES.terminateCard, { cardId: card.id }));
		expectError(
			await bed.client.get(pathOf(ROUTES.getCardDetails, { cardId: card.id })),
			409,
			'invalid_state',
		);
		expectError(
			await bed.client.get(pathOf(ROUTES.getCardDetails, { cardId: 'card_0000000000' })),
			404,
			'not_found',
		);
	});
});

describe('GET /cards/{cardId}/details rate limit', () => {
	const bed = useEmulator({ rateLimits: { cardDetails: { max: 3, windowMs: 200 } } });

	it('refuses the request over the limit with 429 rate_limited and Retry-After, other routes unaffected', async () => {
		const card = await createCard(bed.client);
		const path = pathOf(ROUTES.getCardDetails, { cardId: card.id });
		for (let index = 0; index < 3; index++) expect((await bed.client.get(path)).status).toBe(200);
		const refused = await bed.client.get(path);
		expectError(refused, 429, 'rate_limited');
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect((await bed.client.get(pathOf(ROUTES.getCard, { cardId: card.id }))).status).toBe(200);
		await sleep(210);
		expect((await bed.client.get(path)).status).toBe(200);
	});

	it('defaults to the contract limit of 30 a minute', async () => {
		await withEmulator({}, async ({ client }) => {
			const card = await createCard(client);
			const path = pathOf(ROUTES.getCardDetails, { cardId: card.id });
			const statuses = [];
			for (let index = 0; index < 31; index++) statuses.push((await client.get(path)).status);
			expect(statuses.filter((status) => status === 200)).toHaveLength(30);
			expect(statuses[30]).toBe(429);
			const retryAfter = Number((await client.get(path)).headers.get('retry-after'));
			expect(retryAfter).toBeGreaterThan(50);
			expect(retryAfter).toBeLessThanOrEqual(60);
		});
	});
});

describe('POST /cards/{cardId}/freeze and /unfreeze', () => {
	const bed = useEmulator();

	it('freezes keeping the balance, once: a second freeze is 200, unchanged, with no event', async () => {
		const card = await createCard(bed.client, { amount: 42 });
		const path = pathOf(ROUTES.freezeCard, { cardId: card.id });
		const frozen = expectAnswer(await bed.client.post(path), 200, cardSchema);
		expect(frozen).toMatchObject({ status: 'frozen', balance: 42 });
		expect(expectAnswer(await bed.client.post(path, {}), 200, cardSchema)).toEqual(frozen);
		expect(bed.emulator.events.map((event) => event.type)).toEqual(['card.created', 'card.frozen']);
	});

	it('unfreezes to active once: unfreezing an active card is 200, unchanged, with no event', async () => {
		const card = await createCard(bed.client);
		const path = pathOf(ROUTES.unfreezeCard, { cardId: card.id });
		expect(expectAnswer(await bed.client.post(path), 200, cardSchema).status).toBe('active');
		await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: card.id }));
		expect(expectAnswer(await bed.client.post(path), 200, cardSchema).status).toBe('active');
		expect(bed.emulator.events.map((event) => event.type)).toEqual([
			'card.created',
			'card.frozen',
			'card.unfrozen',
		]);
	});

	it('answers 409 invalid_state for a terminated card, 404 for an unknown one, 400 for a body', async () => {
		const card = await createCard(bed.client);
		await bed.client.post(pathOf(ROUTES.terminateCard, { cardId: card.id }));
		expectError(
			await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: card.id })),
			409,
			'invalid_state',
		);
		expectError(
			await bed.client.post(pathOf(ROUTES.unfreezeCard, { cardId: card.id })),
			409,
			'invalid_state',
		);
		expectError(
			await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: 'card_0000000000' })),
			404,
			'not_found',
		);
		const other = await createCard(bed.client);
		expectError(
			await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: other.id }), { reason: 'x' }),
			400,
			'invalid_request',
			'reason',
		);
	});
});

describe('POST /cards/{cardId}/terminate', () => {
	const bed = useEmulator();

	it('returns the balance to the wallet at once, zeroes the card and emits card.terminated; again is 409', async () => {
		const card = await createCard(bed.client, { amount: 250.55 });
		const path = pathOf(ROUTES.terminateCard, { cardId: card.id });
		const answer = expectAnswer(await bed.client.post(path), 200, cardAndWalletSchema);
		expect(answer.card).toMatchObject({ status: 'terminated', balance: 0 });
		expect(answer.wallet).toMatchObject({
			balance: 10000,
			cards_active: 0,
			cards_total_balance: 0,
		});
		expect(bed.emulator.events.at(-1)).toMatchObject({
			type: 'card.terminated',
			data: { id: card.id },
		});
		expectError(await bed.client.post(path), 409, 'invalid_state');
		expect(bed.emulator.state.wallet().balance).toBe(10000);
	});
});
