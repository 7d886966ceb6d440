/** The demo account `npm run sandbox` and `npm start` open with, and the `simulate` commands that set the examples off. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROUTES, toCents } from '../../nodes/PrivCards/contract';
import { DEMO_CARDS, DEMO_EXAMPLE_CARDS } from '../../emulator/demo-data';
import {
	cardSchema,
	challengeSchema,
	depositSchema,
	transactionSchema,
	type Schema,
} from '../../emulator/schemas';
import { simulate3ds, simulateDecline, simulateDeposit } from '../../emulator/simulate';
import { Client, useEmulator, withEmulator } from './helpers';

const FIXED_NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

/** Every item of a list, read through the API 100 at a time and checked against its schema. */
async function readAll<T>(client: Client, pathPart: string, schema: Schema<T>): Promise<T[]> {
	const items: T[] = [];
	for (let page = 1; ; page++) {
		const response = await client.get(pathPart, { page, per_page: 100 });
		expect(response.status).toBe(200);
		const body = response.body as { data: unknown[]; has_more: boolean };
		items.push(...body.data.map((item) => schema.parse(item)));
		if (!body.has_more) return items;
	}
}

/** The auto-fund example's target balance, read from the example itself. */
function autoFundTarget(): number {
	const file = path.join(__dirname, '..', '..', 'examples', 'auto-fund-ad-cards.json');
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as {
		nodes: Array<{ parameters: Record<string, unknown> }>;
	};
	const topUp = workflow.nodes.find((node) => node.parameters.operation === 'topUp');
	return Number(topUp?.parameters.targetBalance);
}

describe('startEmulator()', () => {
	const bed = useEmulator();

	it('opens a bare account by default, as tests assume', () => {
		const { state } = bed.emulator;
		expect(state.cards()).toEqual([]);
		expect(state.transactions()).toEqual([]);
		expect(state.challenges()).toEqual([]);
		expect(state.deposits()).toEqual([]);
		expect(state.wallet()).toMatchObject({ balance: 10000, total_spent: 0 });
	});
});

describe('the demo account (empty: false)', () => {
	const bed = useEmulator({ empty: false, now: () => FIXED_NOW });

	it('has labelled cards in every state, with active balances on both sides of the auto-fund target', async () => {
		const cards = await readAll(bed.client, ROUTES.listCards.path, cardSchema);
		expect(cards.map((card) => card.id).sort()).toEqual(DEMO_CARDS.map((card) => card.id).sort());
		for (const status of ['active', 'frozen', 'terminated'] as const) {
			expect(cards.filter((card) => card.status === status).length).toBeGreaterThanOrEqual(2);
		}
		expect(cards.every((card) => card.label !== null && card.label !== '')).toBe(true);
		const target = autoFundTarget();
		const active = cards.filter((card) => card.status === 'active');
		expect(active.filter((card) => card.balance < target).length).toBeGreaterThanOrEqual(2);
		expect(active.filter((card) => card.balance >= target).length).toBeGreaterThanOrEqual(2);
		expect(
			cards.filter((card) => card.status === 'terminated').every((card) => card.balance === 0),
		).toBe(true);
	});

	it('has months of payments, newest first, with every kind of transaction and several decline reasons', async () => {
		const transactions = await readAll(bed.client, ROUTES.listTransactions.path, transactionSchema);
		const times = transactions.map((transaction) => Date.parse(transaction.created_at));
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(times[0]).toBeLessThanOrEqual(FIXED_NOW.getTime());
		expect(FIXED_NOW.getTime() - times[times.length - 1]).toBeGreaterThan(90 * DAY);
		const types = new Set(transactions.map((transaction) => transaction.type));
		expect([...types].sort()).toEqual(['authorization', 'decline', 'refund', 'settlement']);
		const reasons = new Set(transactions.map((transaction) => transaction.decline_reason));
		expect(reasons.size).toBeGreaterThanOrEqual(5); // null and at least four reasons
		const cardIds = new Set(DEMO_CARDS.map((card) => card.id));
		expect(transactions.every((transaction) => cardIds.has(transaction.card_id))).toBe(true);
		// Every settlement and refund belongs to an authorization of the same card and amount.
		const byId = new Map(transactions.map((transaction) => [transaction.id, transaction]));
		for (const followUp of transactions.filter(
			(transaction) => transaction.authorization_id !== null,
		)) {
			const authorization = byId.get(followUp.authorization_id ?? '');
			expect(authorization).toMatchObject({
				type: 'authorization',
				card_id: followUp.card_id,
				amount: followUp.amount,
			});
		}
	});

	it('has a pending 3DS challenge on a 3DS card, deposits both pending and confirmed, and books that add up', async () => {
		const challenges = await readAll(bed.client, ROUTES.listChallenges.path, challengeSchema);
		const pending = challenges.filter((challenge) => challenge.status === 'pending');
		expect(pending).toHaveLength(1);
		expect(pending[0]).toMatchObject({
			card_id: DEMO_EXAMPLE_CARDS.threeDs,
			otp: expect.stringMatching(/^\d{6}$/),
		});
		expect(new Set(challenges.map((challenge) => challenge.status))).toEqual(
			new Set(['approved', 'expired', 'pending']),
		);

		const deposits = await readAll(bed.client, ROUTES.listDeposits.path, depositSchema);
		expect(new Set(deposits.map((deposit) => deposit.status))).toEqual(
			new Set(['pending', 'confirmed']),
		);
		const confirmed = deposits
			.filter((deposit) => deposit.status === 'confirmed')
			.reduce((sum, deposit) => sum + toCents(deposit.amount_usd), 0);
		const wallet = bed.emulator.state.wallet();
		expect(toCents(wallet.total_deposited)).toBe(confirmed);
		expect(wallet).toMatchObject({ pending_deposits: 250, cards_active: 6 });
		expect(wallet.balance).toBeGreaterThan(1000);
		// What came in is in the wallet, on the cards, spent, or held by authorizations not settled yet.
		const transactions = bed.emulator.state.transactions();
		const settled = new Set(transactions.map((transaction) => transaction.authorization_id));
		const held = transactions
			.filter((transaction) => transaction.type === 'authorization' && !settled.has(transaction.id))
			.reduce((sum, transaction) => sum + toCents(transaction.amount), 0);
		expect(
			toCents(wallet.balance) +
				toCents(wallet.cards_total_balance) +
				toCents(wallet.total_spent) +
				held,
		).toBe(confirmed);
	});

	it('is the same account every time for the same start-up time', async () => {
		await withEmulator({ empty: false, now: () => FIXED_NOW }, async (other) => {
			const { state } = bed.emulator;
			expect(other.emulator.state.cards()).toEqual(state.cards());
			expect(other.emulator.state.transactions()).toEqual(state.transactions());
			expect(other.emulator.state.challenges()).toEqual(state.challenges());
			expect(other.emulator.state.deposits()).toEqual(state.deposits());
		});
	});
});

describe('simulate decline, 3ds and deposit against the demo account', () => {
	const bed = useEmulator({ empty: false });

	it('declines a payment on the decline card and says which endpoint the event went to', async () => {
		await bed.client.post(ROUTES.createWebhook.path, {
			url: 'http://127.0.0.1:9/hook',
			events: ['transaction.declined'],
		});
		const result = await simulateDecline(bed.emulator, { cardId: DEMO_EXAMPLE_CARDS.decline });
		const [latest] = bed.emulator.state.transactions();
		expect(latest).toMatchObject({
			card_id: DEMO_EXAMPLE_CARDS.decline,
			type: 'decline',
			decline_reason: 'insufficient_balance',
		});
		expect(bed.emulator.events.at(-1)).toMatchObject({
			type: 'transaction.declined',
			data: { id: latest.id },
		});
		expect(result.lines.join('\n')).toContain('Meta Ads EU');
		expect(result.lines.join('\n')).toContain('sent to http://127.0.0.1:9/hook');
	});

	it('opens a 3DS challenge and prints its code; refuses a card whose BIN has no 3DS, sending nothing', async () => {
		const result = await simulate3ds(bed.emulator, { cardId: DEMO_EXAMPLE_CARDS.threeDs });
		const [challenge] = bed.emulator.state.challenges();
		expect(challenge).toMatchObject({
			card_id: DEMO_EXAMPLE_CARDS.threeDs,
			status: 'pending',
			amount: 19.99,
		});
		expect(result.lines[0]).toContain(challenge.otp);
		expect(result.lines[1]).toMatch(/No webhook endpoint listens to 3ds\.challenge/);

		const noThreeDs = DEMO_CARDS.find(
			(card) => card.binId === '445566' && card.status === 'active',
		);
		const before = bed.emulator.state.transactions().length;
		await expect(simulate3ds(bed.emulator, { cardId: noThreeDs?.id ?? '' })).rejects.toThrow(
			/has no 3DS/,
		);
		expect(bed.emulator.state.transactions()).toHaveLength(before);
	});

	it('adds a confirmed deposit to the wallet', async () => {
		const before = bed.emulator.state.wallet().balance;
		const result = await simulateDeposit(bed.emulator, { amount: 250 });
		expect(bed.emulator.state.wallet().balance).toBeCloseTo(before + 250, 2);
		expect(bed.emulator.events.slice(-2).map((event) => event.type)).toEqual([
			'deposit.pending',
			'deposit.confirmed',
		]);
		expect(result.lines.join('\n')).toMatch(/wallet now holds 5,120\.35 USD/);
	});
});
