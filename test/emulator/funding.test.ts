import { ROUTES } from '../../nodes/PrivCards/contract';
import { cardAndWalletSchema } from '../../emulator/schemas';
import {
	createCard,
	expectAnswer,
	expectError,
	pathOf,
	useEmulator,
	withEmulator,
} from './helpers';

describe('POST /cards/{cardId}/fund', () => {
	const bed = useEmulator();

	it('moves money from the wallet to the card, answers both balances and emits card.funded', async () => {
		const card = await createCard(bed.client, { amount: 100 });
		const answer = expectAnswer(
			await bed.client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), { amount: 199.99 }),
			200,
			cardAndWalletSchema,
		);
		expect(answer.card.balance).toBe(299.99);
		expect(answer.wallet).toMatchObject({ balance: 9700.01, cards_total_balance: 299.99 });
		expect(bed.emulator.events.at(-1)).toMatchObject({
			type: 'card.funded',
			data: { balance: 299.99 },
		});
	});

	it('funds a frozen card, refuses a terminated one with 409 and amounts outside 1–5000 with 400', async () => {
		const card = await createCard(bed.client);
		const path = pathOf(ROUTES.fundCard, { cardId: card.id });
		await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: card.id }));
		expect(
			expectAnswer(await bed.client.post(path, { amount: 1 }), 200, cardAndWalletSchema).card,
		).toMatchObject({
			status: 'frozen',
			balance: 501,
		});
		expectError(await bed.client.post(path, { amount: 0.5 }), 400, 'invalid_request', 'amount');
		expectError(await bed.client.post(path, { amount: 5000.01 }), 400, 'invalid_request', 'amount');
		expectError(await bed.client.post(path, {}), 400, 'invalid_request', 'amount');
		expectError(await bed.client.post(path, { amount: '10' }), 400, 'invalid_request', 'amount');
		await bed.client.post(pathOf(ROUTES.terminateCard, { cardId: card.id }));
		expectError(await bed.client.post(path, { amount: 10 }), 409, 'invalid_state');
		expectError(
			await bed.client.post(pathOf(ROUTES.fundCard, { cardId: 'card_0000000000' }), { amount: 10 }),
			404,
			'not_found',
		);
	});

	it('answers the documented 400 insufficient_funds when the wallet is short, and moves nothing', async () => {
		await withEmulator({ walletBalance: 60 }, async ({ emulator, client }) => {
			const card = await createCard(client, { amount: 50 });
			const response = await client.post(pathOf(ROUTES.fundCard, { cardId: card.id }), {
				amount: 10.01,
			});
			expectError(response, 400, 'insufficient_funds', 'amount');
			expect((response.body as { message: string }).message).toBe(
				'Your wallet balance is too low to fund this card.',
			);
			expect(emulator.state.wallet()).toMatchObject({ balance: 10, cards_total_balance: 50 });
		});
	});
});

describe('POST /cards/{cardId}/withdraw', () => {
	const bed = useEmulator();

	it('moves money from the card back to the wallet, with no event', async () => {
		const card = await createCard(bed.client, { amount: 300 });
		const answer = expectAnswer(
			await bed.client.post(pathOf(ROUTES.withdrawFromCard, { cardId: card.id }), {
				amount: 120.5,
			}),
			200,
			cardAndWalletSchema,
		);
		expect(answer.card.balance).toBe(179.5);
		expect(answer.wallet.balance).toBe(9820.5);
		expect(bed.emulator.events.map((event) => event.type)).toEqual(['card.created']);
	});

	it('refuses more than the card holds with 400 insufficient_card_balance, and a terminated card with 409', async () => {
		const card = await createCard(bed.client, { amount: 10 });
		const path = pathOf(ROUTES.withdrawFromCard, { cardId: card.id });
		expectError(
			await bed.client.post(path, { amount: 10.01 }),
			400,
			'insufficient_card_balance',
			'amount',
		);
		expect(bed.emulator.state.cards()[0].balance).toBe(10);
		expect(
			expectAnswer(await bed.client.post(path, { amount: 10 }), 200, cardAndWalletSchema).card
				.balance,
		).toBe(0);
		await bed.client.post(pathOf(ROUTES.terminateCard, { cardId: card.id }));
		expectError(await bed.client.post(path, { amount: 1 }), 409, 'invalid_state');
	});
});
