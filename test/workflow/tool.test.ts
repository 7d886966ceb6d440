/**
 * The action node as an AI agent's tool (`privCardsTool`): every call is an execution of its own, and agents repeat
 * calls. A repeated money move inside the tool-call window must move nothing; a new Idempotency Key moves it again.
 */
import type { Card } from '../../nodes/PrivCards/contract';
import { TOOL_CALL_WINDOW_MINUTES } from '../../nodes/PrivCards/transport/idempotency';
import { runNode, TOOL_NODE_TYPE } from '../../harness/n8n';
import type { RunResult } from '../../harness/n8n';
import { cardLocator, createCard, startTestApi } from './fixtures';
import type { TestApi } from './fixtures';

let api: TestApi;
let card: Card;
let execution = 0;

beforeEach(async () => {
	api = await startTestApi();
	card = await createCard(api, 100);
	api.clearRequests();
});
afterEach(async () => {
	jest.useRealTimers();
	await api.stop();
});

const balance = (): number | undefined =>
	api.emulator.state.cards().find((one) => one.id === card.id)?.balance;

/** One tool call: its own execution, as n8n runs every MCP `tools/call` and every agent tool call. */
async function call(
	parameters: Record<string, unknown>,
	type = TOOL_NODE_TYPE,
): Promise<RunResult> {
	return await runNode(
		{ type, parameters: { cardId: cardLocator(card.id), ...parameters } },
		{
			credential: { apiKey: api.emulator.testKey, baseUrl: api.emulator.baseUrl },
			executionId: `tool-call-${++execution}`,
		},
	);
}

const fund = { resource: 'funding', operation: 'fund', amount: 25 };

describe('the node as an AI tool', () => {
	it('moves money once when a fund call is repeated with the same arguments', async () => {
		await call(fund);
		const repeated = await call(fund);

		expect(balance()).toBe(125);
		const posts = api.requests().filter((request) => request.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(posts[1].idempotencyKey).toBe(posts[0].idempotencyKey);
		expect(repeated.items[0].json).toMatchObject({ card: { balance: 125 } });
	});

	it('moves it again for other arguments, or with a new Idempotency Key', async () => {
		await call(fund);
		await call({ ...fund, amount: 30 });
		const secondMove = 'agent-second-move-1';
		await call({ ...fund, options: { idempotencyKey: secondMove } });

		expect(balance()).toBe(180);
	});

	it('moves it again once the window has passed', async () => {
		const start = Date.parse('2026-04-15T12:00:00Z');
		jest.useFakeTimers({
			now: start,
			doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
		});
		await call(fund);
		jest.setSystemTime(start + TOOL_CALL_WINDOW_MINUTES * 60_000);
		await call(fund);

		expect(balance()).toBe(150);
	});

	it('freezes again after an unfreeze in the same window: freeze and unfreeze keep keys per call', async () => {
		const freeze = { resource: 'card', operation: 'freeze' };
		await call(freeze);
		await call({ resource: 'card', operation: 'unfreeze' });
		await call(freeze);

		expect(api.emulator.state.cards().find((one) => one.id === card.id)?.status).toBe('frozen');
	});

	it('keeps the ordinary node’s rule: two executions are two moves (the control)', async () => {
		await call(fund, 'n8n-nodes-privcards.privCards');
		await call(fund, 'n8n-nodes-privcards.privCards');

		expect(balance()).toBe(150);
	});

	it('tops up once for a repeated top-up call, and again after the card was spent from', async () => {
		const topUp = { resource: 'funding', operation: 'topUp', targetBalance: 160 };
		await call(topUp);
		await call(topUp);
		expect(balance()).toBe(160);

		await api.call(
			{ method: 'POST', path: `/cards/${card.id}/withdraw` } as never,
			{},
			{ amount: 20 },
		);
		await call(topUp);
		expect(balance()).toBe(160);
		expect(api.requests().filter((request) => request.path.endsWith('/fund'))).toHaveLength(2);
	});
});

describe('Get Details as an AI tool', () => {
	const details = { resource: 'card', operation: 'getDetails' };
	const fullPan = async (): Promise<string> =>
		(await api.call<{ pan: string }>({ method: 'GET', path: `/cards/${card.id}/details` } as never))
			.pan;

	it('masks the number and leaves out the CVV even with Include Sensitive Data on', async () => {
		const answer = await call({ ...details, includeSensitiveData: true });
		const pan = await fullPan();
		expect(answer.items[0].json).toMatchObject({
			masked: true,
			cvv: null,
			pan: `${pan.slice(0, 6)}******${pan.slice(-4)}`,
		});
		expect(JSON.stringify(answer.items)).not.toContain(pan);
	});

	it('gives the full number and CVV only when the author turned on the option for agents', async () => {
		const answer = await call({
			...details,
			includeSensitiveData: true,
			includeSensitiveDataForAgents: true,
		});
		expect(answer.items[0].json).toMatchObject({
			masked: false,
			pan: await fullPan(),
			cvv: expect.stringMatching(/^\d{3}$/),
		});
	});

	it('keeps Include Sensitive Data as it was for the ordinary node (the control)', async () => {
		const answer = await call(
			{ ...details, includeSensitiveData: true },
			'n8n-nodes-privcards.privCards',
		);
		expect(answer.items[0].json).toMatchObject({ masked: false, pan: await fullPan() });
	});

	it("returns Simplified records by default, Raw or Selected Fields when the tool's Output says so", async () => {
		const get = { resource: 'card', operation: 'get' };
		const simplified = await call(get);
		expect(Object.keys(simplified.items[0].json).sort()).toEqual(
			[
				'balance',
				'bin_id',
				'expires_at',
				'id',
				'label',
				'last4',
				'metadata',
				'network',
				'spending_limit',
				'status',
			].sort(),
		);
		const raw = await call({ ...get, output: 'raw' });
		expect(raw.items[0].json).toEqual(card);
		const selected = await call({ ...get, output: 'fields', fields: ['id', 'balance'] });
		expect(selected.items[0].json).toEqual({ id: card.id, balance: 100 });

		api.clearRequests();
		const none = await call({ ...get, output: 'fields', fields: [] });
		expect(none.error?.message).toMatch(/^Fields must name at least one field/);
		expect(api.requests()).toEqual([]);

		const bins = await call({ resource: 'bin', operation: 'getMany' });
		for (const item of bins.items) expect(Object.keys(item.json).length).toBeLessThanOrEqual(10);
		expect(bins.items[0].json).not.toHaveProperty('apple_pay');
	});
});
