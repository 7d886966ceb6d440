import { ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import {
	dataListSchema,
	depositAddressSchema,
	depositSchema,
	listPageSchema,
	walletSchema,
} from '../../emulator/schemas';
import { authorize, createCard, expectAnswer, expectError, pathOf, useEmulator } from './helpers';

describe('GET /wallet', () => {
	const bed = useEmulator();

	it('answers balance, pending and total deposits, spending and card totals', async () => {
		expect(expectAnswer(await bed.client.get(ROUTES.getWallet.path), 200, walletSchema)).toEqual({
			balance: 10000,
			currency: 'USD',
			pending_deposits: 0,
			total_deposited: 10000,
			total_spent: 0,
			cards_active: 0,
			cards_total_balance: 0,
		});
		const active = await createCard(bed.client, { amount: 300 });
		const frozen = await createCard(bed.client, { amount: 200 });
		await bed.client.post(pathOf(ROUTES.freezeCard, { cardId: frozen.id }));
		const payment = await authorize(bed.client, active, { amount: 40.25 });
		await bed.client.post(pathOf(SANDBOX_ROUTES.settleTransaction, { transactionId: payment.id }));
		await bed.client.post(SANDBOX_ROUTES.createDeposit.path, {
			currency: 'usdt',
			amount_usd: 75.5,
		});
		expect(expectAnswer(await bed.client.get(ROUTES.getWallet.path), 200, walletSchema)).toEqual({
			balance: 9500,
			currency: 'USD',
			pending_deposits: 75.5,
			total_deposited: 10000,
			total_spent: 40.25,
			cards_active: 1,
			cards_total_balance: 459.75,
		});
	});
});

describe('GET /wallet/deposit-addresses', () => {
	const bed = useEmulator();
	const addresses = dataListSchema(depositAddressSchema);

	it('answers all four currencies, or the one asked for', async () => {
		const all = expectAnswer(
			await bed.client.get(ROUTES.listDepositAddresses.path),
			200,
			addresses,
		);
		expect(all.data.map((address) => address.currency)).toEqual(['btc', 'eth', 'sol', 'usdt']);
		const eth = expectAnswer(
			await bed.client.get(ROUTES.listDepositAddresses.path, { currency: 'eth' }),
			200,
			addresses,
		);
		expect(eth.data).toEqual([expect.objectContaining({ currency: 'eth', network: 'ethereum' })]);
		expectError(
			await bed.client.get(ROUTES.listDepositAddresses.path, { currency: 'doge' }),
			400,
			'invalid_request',
			'currency',
		);
	});
});

describe('GET /wallet/deposits', () => {
	const bed = useEmulator();
	const depositPage = listPageSchema(depositSchema);

	it('lists deposits newest first, filtered by status, paginated', async () => {
		const created = [];
		for (const amount of [100, 200, 300]) {
			const response = await bed.client.post(SANDBOX_ROUTES.createDeposit.path, {
				currency: 'btc',
				amount_usd: amount,
			});
			created.push(expectAnswer(response, 201, depositSchema));
		}
		await bed.client.post(pathOf(SANDBOX_ROUTES.confirmDeposit, { depositId: created[1].id }));

		const all = expectAnswer(
			await bed.client.get(ROUTES.listDeposits.path, { per_page: 2 }),
			200,
			depositPage,
		);
		expect(all).toMatchObject({ total: 3, has_more: true });
		expect(all.data.map((deposit) => deposit.id)).toEqual([created[2].id, created[1].id]);
		const pending = expectAnswer(
			await bed.client.get(ROUTES.listDeposits.path, { status: 'pending' }),
			200,
			depositPage,
		);
		expect(pending.data.map((deposit) => deposit.id)).toEqual([created[2].id, created[0].id]);
		const confirmed = expectAnswer(
			await bed.client.get(ROUTES.listDeposits.path, { status: 'confirmed' }),
			200,
			depositPage,
		);
		expect(confirmed.data).toEqual([
			expect.objectContaining({ id: created[1].id, status: 'confirmed' }),
		]);
	});
});
