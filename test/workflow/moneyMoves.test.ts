/**
 * Money moves that n8n runs more than once: overlapping Top Ups of one gap (a schedule and a manual run, two
 * workers, two copies of one event), a user's Idempotency Key shared by several nodes and cards, answers the API
 * replays from its store, and the bound a workflow author sets on what one item may move.
 */
import type { Card } from '../../nodes/PrivCards/contract';
import type { IDataObject, INode } from 'n8n-workflow';

import { actionNode, runNode, runWorkflow } from '../../harness/n8n';
import type { RunResult } from '../../harness/n8n';
import { authorize, cardLocator, createCard, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

let api: TestApi;
let card: Card;
let execution = 0;

beforeEach(async () => {
	// Room for two 9,000.50 top-ups: a second funding must show in the card, not stop at insufficient_funds.
	api = await startTestApi({ walletBalance: 50_000 });
	card = await createCard(api, 100);
	api.clearRequests();
});
afterEach(async () => await api.stop());

const balanceOf = (id: string): number | undefined =>
	api.emulator.state.cards().find((one) => one.id === id)?.balance;
const wallet = (): number => api.emulator.state.wallet().balance;
const fundPosts = () =>
	api.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/fund'));

/** One execution of its own (a schedule's run, a manual run, a worker's job): a new execution id each time. */
async function execute(parameters: IDataObject, input?: IDataObject[]): Promise<RunResult> {
	return await runNode(
		{ parameters },
		{
			credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl },
			executionId: `run-${++execution}`,
			input,
		},
	);
}

const topUp = (targetBalance: number, options: IDataObject = {}): IDataObject => ({
	resource: 'funding',
	operation: 'topUp',
	cardId: cardLocator(card.id),
	targetBalance,
	options,
});

describe('Top Up under overlap', () => {
	it('two executions that read the same balance at once fund the gap once', async () => {
		// Both reads are answered before either funding request is sent: the two runs see the card at 100.
		api.emulator.faults.inject({ method: 'GET', path: '/cards/{cardId}', delayMs: 200, times: 2 });
		const before = wallet();
		const [first, second] = await Promise.all([execute(topUp(250)), execute(topUp(250))]);

		expect(balanceOf(card.id)).toBe(250);
		expect(wallet()).toBe(before - 150);
		const outputs = [first.items[0].json, second.items[0].json];
		// One run moved the 150; the other got the API's kept answer and says so.
		expect(outputs.map((json) => [json.amount_funded, json.replayed]).sort()).toEqual([
			[0, true],
			[150, false],
		]);
		expect(new Set(fundPosts().map((request) => request.idempotencyKey)).size).toBe(1);
	});

	it('funds a new gap at once when the card spent back to the same balance', async () => {
		await execute(topUp(250));
		await authorize(api, { ...card, balance: 250 }, 150);
		expect(balanceOf(card.id)).toBe(100);

		const again = await execute(topUp(250));
		expect(again.items[0].json).toMatchObject({
			action: 'funded',
			amount_funded: 150,
			replayed: false,
		});
		expect(balanceOf(card.id)).toBe(250);
	});

	it('funds a new gap when the card went back to the same balance without a payment (a withdrawal)', async () => {
		await execute(topUp(250));
		await api.call(
			{ method: 'POST', path: `/cards/${card.id}/withdraw` } as never,
			{},
			{ amount: 150 },
		);
		expect(balanceOf(card.id)).toBe(100);

		const again = await execute(topUp(250));
		expect(again.items[0].json).toMatchObject({ action: 'funded', amount_funded: 150 });
		expect(balanceOf(card.id)).toBe(250);
		// The first key was answered from the store; the run read the card again and funded with the next key.
		expect(fundPosts().map((request) => request.replayed)).toEqual([false, true, false]);
	});

	it('two overlapping runs of a gap over 5,000.00 fund it once, step by step', async () => {
		api.emulator.faults.inject({ method: 'GET', path: '/cards/{cardId}', delayMs: 200, times: 2 });
		await Promise.all([execute(topUp(9100.5)), execute(topUp(9100.5))]);
		expect(balanceOf(card.id)).toBe(9100.5);
	});
});

describe('Max Amount', () => {
	it('refuses a Fund item above it before any request, naming the field and the item', async () => {
		const result = await execute(
			{
				resource: 'funding',
				operation: 'fund',
				cardId: cardLocator('={{ $json.id }}'),
				amount: '={{ $json.amount }}',
				options: { maxAmount: 100 },
			},
			[
				{ id: card.id, amount: 100 },
				{ id: card.id, amount: 4000 },
			],
		);
		expect(result.error?.message).toMatch(/Amount .*4,000\.00.* Max Amount .*100\.00.*\[item 1\]/);
		expect(api.requests()).toHaveLength(0);
		expect(balanceOf(card.id)).toBe(100);
	});

	it('refuses a Top Up whose gap is above it once the gap is known, before the funding request', async () => {
		const result = await execute(topUp(5000, { maxAmount: 500 }));
		expect(result.error?.message).toMatch(/Max Amount .*500.* \[item 0\]/);
		expect(api.requests().map((request) => request.method)).not.toContain('POST');
		expect(balanceOf(card.id)).toBe(100);

		const within = await execute(topUp(600, { maxAmount: 500 }));
		expect(within.items[0].json).toMatchObject({ action: 'funded', amount_funded: 500 });
	});
});

describe('an Idempotency Key set by the user', () => {
	const fundNode = (name: string, id: string, cardId: string, amount = 10): INode => ({
		...actionNode({
			name,
			parameters: {
				resource: 'funding',
				operation: 'fund',
				cardId: cardLocator(cardId),
				amount,
				options: { idempotencyKey: 'evt_Pq8sT2vW4x' },
			},
		}),
		id,
	});

	it('serves two Fund nodes for two cards: both move', async () => {
		const other = await createCard(api, 100);
		api.clearRequests();
		const result = await runWorkflow(
			[fundNode('Fund A', 'node-a', card.id), fundNode('Fund B', 'node-b', other.id)],
			{ 'Fund A': { main: [[{ node: 'Fund B', type: 'main', index: 0 }]] } },
			'Fund A',
			{ credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl } },
		);
		expect(result.error).toBeUndefined();
		expect([balanceOf(card.id), balanceOf(other.id)]).toEqual([110, 110]);
	});

	it('keeps a re-run of the same move one move, and the output says it was replayed', async () => {
		const parameters = {
			resource: 'funding',
			operation: 'fund',
			cardId: cardLocator(card.id),
			amount: 10,
			options: { idempotencyKey: 'order-1234' },
		};
		const first = await execute(parameters);
		const rerun = await execute(parameters);
		expect(balanceOf(card.id)).toBe(110);
		expect([first.items[0].json.replayed, rerun.items[0].json.replayed]).toEqual([false, true]);
	});
});

describe('Max Amount itself', () => {
	it('must be an amount: a bad one stops the node before any request', async () => {
		const result = await execute(topUp(250, { maxAmount: 'lots' }));
		expect(result.error?.message).toMatch(/Max Amount must be a number.*\[item 0\]/);
		expect(api.requests()).toHaveLength(0);
	});
});
