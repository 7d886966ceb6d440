import { ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import { listPageSchema, transactionSchema } from '../../emulator/schemas';
import {
	authorize,
	createCard,
	expectAnswer,
	expectError,
	movableClock,
	pathOf,
	useEmulator,
} from './helpers';

const transactionPage = listPageSchema(transactionSchema);

describe('GET /transactions', () => {
	const clock = movableClock('2026-04-01T00:00:00Z');
	const bed = useEmulator({ now: clock.now });

	async function seed() {
		const card = await createCard(bed.client, { amount: 1000 });
		const other = await createCard(bed.client, { amount: 1000 });
		clock.set('2026-04-10T09:00:00Z');
		const early = await authorize(bed.client, card, { amount: 10 });
		clock.set('2026-04-12T09:00:00Z');
		const declined = await authorize(bed.client, card, { amount: 2000 });
		const elsewhere = await authorize(bed.client, other, { amount: 5 });
		clock.set('2026-04-14T09:00:00Z');
		const settled = expectAnswer(
			await bed.client.post(pathOf(SANDBOX_ROUTES.settleTransaction, { transactionId: early.id })),
			201,
			transactionSchema,
		);
		return { card, early, declined, elsewhere, settled };
	}

	it('lists newest first with pagination', async () => {
		const { early, declined, elsewhere, settled } = await seed();
		const page = expectAnswer(
			await bed.client.get(ROUTES.listTransactions.path, { per_page: 3 }),
			200,
			transactionPage,
		);
		expect(page).toMatchObject({ total: 4, has_more: true });
		expect(page.data.map((transaction) => transaction.id)).toEqual([
			settled.id,
			elsewhere.id,
			declined.id,
		]);
		const rest = expectAnswer(
			await bed.client.get(ROUTES.listTransactions.path, { per_page: 3, page: 2 }),
			200,
			transactionPage,
		);
		expect(rest.data.map((transaction) => transaction.id)).toEqual([early.id]);
	});

	it('filters by card_id, type, and a from (inclusive) / to (exclusive) range', async () => {
		const { card, early, declined, settled } = await seed();
		const ids = async (query: Record<string, string>) =>
			expectAnswer(
				await bed.client.get(ROUTES.listTransactions.path, query),
				200,
				transactionPage,
			).data.map((transaction) => transaction.id);
		expect(await ids({ card_id: card.id })).toEqual([settled.id, declined.id, early.id]);
		expect(await ids({ type: 'decline' })).toEqual([declined.id]);
		expect(await ids({ card_id: card.id, type: 'authorization' })).toEqual([early.id]);
		expect(
			await ids({ from: '2026-04-12T09:00:00Z', to: '2026-04-14T09:00:00Z', card_id: card.id }),
		).toEqual([declined.id]);
		expect(await ids({ from: '2026-04-14', card_id: card.id })).toEqual([settled.id]);
		expect(await ids({ to: '2026-04-10T09:00:00+00:00' })).toEqual([]);
	});

	it('refuses an unknown type and a from that is not ISO 8601', async () => {
		expectError(
			await bed.client.get(ROUTES.listTransactions.path, { type: 'purchase' }),
			400,
			'invalid_request',
			'type',
		);
		expectError(
			await bed.client.get(ROUTES.listTransactions.path, { from: 'yesterday' }),
			400,
			'invalid_request',
			'from',
		);
	});
});

describe('GET /transactions/{transactionId}', () => {
	const bed = useEmulator();

	it('answers the transaction, or 404 not_found', async () => {
		const card = await createCard(bed.client);
		const authorization = await authorize(bed.client, card, { amount: 9.99 });
		const path = pathOf(ROUTES.getTransaction, { transactionId: authorization.id });
		expect(expectAnswer(await bed.client.get(path), 200, transactionSchema)).toEqual(authorization);
		expectError(
			await bed.client.get(pathOf(ROUTES.getTransaction, { transactionId: 'txn_0000000000' })),
			404,
			'not_found',
		);
	});
});
