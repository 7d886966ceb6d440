// End-to-end: AI agents over MCP. The examples/mcp-card-tools.json workflow (an MCP Server Trigger with PrivCards
// tools) in the real n8n, the packed package installed as a community package, called by the MCP client of
// @modelcontextprotocol/sdk over Streamable HTTP, as an agent's framework would call it (no language model needed):
// tools/list, and tools/call of every tool against the emulator, asserting the requests the emulator received, the
// money that moved (in cents) and what the answers never contain.
//
// The test adds one tool to the example, `Fund_card` (funding.fund with the example's card and key parameters), to
// prove the rule for repeated money moves on the operation that is not safe to repeat by itself.

import { toCents } from '../../nodes/PrivCards/contract';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The SDK's subpaths resolve through its package.json `exports`, which the lint resolver does not read (jest and tsc do).
// eslint-disable-next-line import-x/no-unresolved
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { Client } from '../../emulator/client';
import { startEmulator } from '../../emulator/emulator';
import { ensureRealN8n } from '../../real-n8n/install';
import { buildAndPackPackage, PACKAGE_NAME } from '../../real-n8n/package';
import type { RunningN8n } from '../../real-n8n/running';
import { N8nUserFolder } from '../../real-n8n/user-folder';
import { mcpTokenCredential, mcpUrl, useMcpToken } from '../../real-n8n/mcp';
import { loadExamples } from '../../real-n8n/start';

jest.setTimeout(3 * 60_000);

const repoRoot = path.resolve(__dirname, '..', '..');
const TOOL_TYPE = `${PACKAGE_NAME}.privCardsTool`;
const CREDENTIAL = { id: 'PrivCardsMcpE2e1', name: 'PrivCards MCP e2e' };
const MCP_CREDENTIAL = { id: 'PrivCardsMcpTok1', name: 'PrivCards MCP e2e token' };
const TOKEN = randomBytes(24).toString('base64url');
const BIN = '491653';
/** The rule's window for repeated money moves: fixed 10-minute windows, UTC. */
const WINDOW_MS = 10 * 60_000;

type Json = Record<string, unknown>;
type Emulator = Awaited<ReturnType<typeof startEmulator>>;

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Json;
	[k: string]: unknown;
}

interface ToolAnswer {
	isError: boolean;
	text: string;
	/** The answer parsed as JSON (tool results are JSON arrays of the node's output items), undefined if not JSON. */
	json: unknown;
}

interface CardView {
	id: string;
	status: string;
	balance: number;
	label: string | null;
	last4: string;
}

let emulator: Emulator | undefined;
let folder: N8nUserFolder | undefined;
let n8n: RunningN8n | undefined;
let mcp: McpClient | undefined;
let url = '';
let packDir = '';
let workflowNodes: WorkflowNode[] = [];
/** Every tool answer of this file, to check that none carries card data. */
const answers: ToolAnswer[] = [];

// ---------------------------------------------------------------------------------------------------
// helpers

function emu(): Emulator {
	if (!emulator) throw new Error('set-up failed: no emulator');
	return emulator;
}

async function api<T = Json>(method: string, pathPart: string, body?: unknown): Promise<T> {
	const response = await new Client(emu()).request(method, pathPart, { body });
	if (response.status >= 300) {
		throw new Error(
			`${method} ${pathPart}: HTTP ${response.status} ${JSON.stringify(response.body)}`,
		);
	}
	return response.body as T;
}

function cardCents(cardId: string): number {
	const card = emu()
		.state.cards()
		.find((c) => c.id === cardId);
	if (!card) throw new Error(`no card ${cardId} at the emulator`);
	return toCents(card.balance);
}

const walletCents = (): number => toCents(emu().state.wallet().balance);

async function newCard(label: string, amount = 20): Promise<CardView> {
	return await api<CardView>('POST', '/cards', { bin_id: BIN, amount, label });
}

async function spend(cardId: string, amount: number, require3ds = false): Promise<Json> {
	return await api('POST', '/sandbox/authorizations', {
		card_id: cardId,
		amount,
		merchant: { name: 'E2E Ads Network', category: 'advertising', mcc: '7311', country: 'US' },
		...(require3ds ? { require_3ds: true } : {}),
	});
}

/** tools/call; the emulator's request log is cleared first, so after the call it holds this call's requests only. */
async function call(name: string, args: Json): Promise<ToolAnswer> {
	if (!mcp) throw new Error('set-up failed: no MCP client');
	emu().clearRequests();
	const result = (await mcp.callTool({ name, arguments: args })) as {
		isError?: boolean;
		content?: Array<{ type: string; text?: string }>;
	};
	const text = (result.content ?? [])
		.filter((part) => part.type === 'text')
		.map((part) => part.text ?? '')
		.join('\n');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const answer = { isError: result.isError === true, text, json };
	answers.push(answer);
	return answer;
}

/** A successful answer's items (the tool node's output items). */
function items(answer: ToolAnswer): Json[] {
	if (answer.isError) throw new Error(`the tool answered an error: ${answer.text}`);
	if (!Array.isArray(answer.json))
		throw new Error(`the tool answered no list of items: ${answer.text}`);
	return answer.json as Json[];
}

/** What the emulator received: method, path and query of each request. */
function received(): Array<[string, string, Json]> {
	return emu().requests.map((request) => [request.method, request.path, request.query]);
}

/** The POSTs the emulator received: path, body, and whether the answer was an idempotent replay. */
function posted(): Array<[string, unknown, boolean]> {
	return emu()
		.requests.filter((request) => request.method === 'POST')
		.map((request) => [request.path, request.body, request.replayed]);
}

/**
 * Waits, when the next boundary of the 10-minute UTC window is near, until it has passed: two calls meant to fall in
 * one window must not straddle a boundary.
 */
async function awayFromWindowEdge(marginMs = 20_000): Promise<void> {
	const left = WINDOW_MS - (Date.now() % WINDOW_MS);
	if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}

/** The MCP tool name n8n 2.41 derives from a tool node's name (n8n-workflow's nodeNameToToolName). */
const toolName = (nodeName: string): string =>
	nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);

/** The workflow node behind an MCP tool. */
function node(tool: string): WorkflowNode {
	const found = workflowNodes.find((n) => toolName(n.name) === tool);
	if (!found) throw new Error(`no node for the tool ${tool} in the MCP workflow`);
	return found;
}

/**
 * Fund_card: the example's top-up tool turned into funding.fund, with the same card parameter and Max Amount, and an
 * Idempotency Key the agent may pass (Top Up has none: its keys come from the gap).
 */
function fundTool(topUp: WorkflowNode): WorkflowNode {
	const { targetBalance, ...parameters } = topUp.parameters;
	void targetBalance;
	return {
		...JSON.parse(JSON.stringify(topUp)),
		id: randomUUID(),
		name: 'Fund card',
		position: [1120, 240],
		parameters: {
			...parameters,
			options: {
				...(parameters.options as Json),
				idempotencyKey:
					"={{ $fromAI('idempotencyKey', 'Leave this out. The same call within 10 minutes moves the money only once; only when the user really wants the same movement again, pass a new unique text here, e.g. a UUID.', 'string', '') }}",
			},
			operation: 'fund',
			amount:
				"={{ $fromAI('amount', 'The amount in USD to move from the wallet onto the card: a number from 1.00 to 5000.00 with at most 2 decimals, e.g. 25 or 12.50.', 'number') }}",
			toolDescription:
				'Add an amount in USD from the account wallet to a card. Answers the card and the wallet. The same call with the same arguments within 10 minutes (fixed 10-minute windows, UTC) moves the money only once and answers the first result again; to add the same amount again on purpose, pass a new idempotencyKey.',
		},
	};
}

// ---------------------------------------------------------------------------------------------------
// set-up and tear-down: nothing started here outlives the file

beforeAll(async () => {
	const t0 = Date.now();
	const real = await ensureRealN8n({ log: (line) => process.stderr.write(`[mcp-e2e] ${line}\n`) });
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privcards-mcp-pack-'));
	const tarball = await buildAndPackPackage(repoRoot, packDir);
	folder = N8nUserFolder.create(real, { prefix: 'privcards-mcp-e2e-' });
	await folder.installPackage(tarball);

	emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
	await folder.importCredentials([
		{
			...CREDENTIAL,
			type: 'privCardsApi',
			data: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
		},
		mcpTokenCredential(MCP_CREDENTIAL, TOKEN),
	]);

	const example = loadExamples(repoRoot, CREDENTIAL).find((e) => e.file === 'mcp-card-tools.json');
	if (!example) throw new Error('examples/mcp-card-tools.json not found');
	const workflow = example.workflow as Json & {
		id: string;
		nodes: WorkflowNode[];
		connections: Json;
	};
	const [server] = useMcpToken([workflow], MCP_CREDENTIAL);
	if (!server) throw new Error('the MCP example has no MCP Server Trigger');
	const trigger = workflow.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
	const topUp = workflow.nodes.find((n) => n.name === 'Top up card');
	if (!trigger || !topUp) throw new Error('the MCP example lacks its trigger or Top_up_card');
	workflow.nodes.push(fundTool(topUp));
	workflow.connections['Fund card'] = {
		ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]],
	};
	workflowNodes = workflow.nodes;

	await folder.importWorkflows([workflow]);
	await folder.publish(workflow.id);
	n8n = await folder.start();
	url = mcpUrl(n8n.baseUrl, server.path);
	await n8n.waitForWebhook(url);

	mcp = new McpClient({ name: 'privcards-e2e-agent', version: '1.0.0' });
	await mcp.connect(
		new StreamableHTTPClientTransport(new URL(url), {
			requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
		}),
	);
	process.stderr.write(
		`[mcp-e2e] set-up done in ${((Date.now() - t0) / 1000).toFixed(1)}s (MCP server ${url})\n`,
	);
}, 20 * 60_000);

afterAll(async () => {
	await mcp?.close().catch(() => undefined);
	await n8n?.stop();
	await emulator?.stop();
	if (process.env.PRIVCARDS_E2E_KEEP) {
		process.stderr.write(`[mcp-e2e] kept ${folder?.root ?? ''} (PRIVCARDS_E2E_KEEP)\n`);
	} else {
		folder?.remove();
	}
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
}, 60_000);

// ---------------------------------------------------------------------------------------------------

test('tools/list shows every tool with its description and the input schema of its $fromAI() parameters', async () => {
	if (!mcp) throw new Error('set-up failed');
	const listed = await mcp.listTools();
	console.log(
		`MCP tools/list answer of examples/mcp-card-tools.json (plus the test's Fund_card):\n${JSON.stringify(listed, null, 2)}`,
	);

	const expected: Record<string, { properties: string[]; required: string[] }> = {
		Find_card: { properties: [], required: [] },
		Get_card: { properties: ['cardId'], required: ['cardId'] },
		List_card_transactions: { properties: ['cardId'], required: ['cardId'] },
		Top_up_card: {
			properties: ['cardId', 'targetBalance'],
			required: ['cardId', 'targetBalance'],
		},
		Freeze_card: { properties: ['cardId'], required: ['cardId'] },
		Unfreeze_card: { properties: ['cardId'], required: ['cardId'] },
		Get_3DS_code: { properties: ['cardId'], required: ['cardId'] },
		Fund_card: {
			properties: ['amount', 'cardId', 'idempotencyKey'],
			required: ['amount', 'cardId'],
		},
	};
	expect(listed.tools.map((tool) => tool.name).sort()).toEqual(Object.keys(expected).sort());
	// Node names read as words on the canvas ("List card transactions"); n8n turns them into the tool names.
	for (const tool of listed.tools)
		expect(node(tool.name).name).toMatch(/^[A-Z][a-z]* [a-zA-Z0-9 ]+$/);
	// Each example tool says what it needs and what it changes, in the words an agent acts on.
	for (const tool of listed.tools.filter((one) => one.name !== 'Fund_card')) {
		expect(tool.description).toMatch(/needs (nothing|its cardId)/);
		expect(tool.description).toMatch(/changes nothing|changes the card|moves money/);
	}
	for (const tool of listed.tools) {
		const schema = tool.inputSchema as {
			type: string;
			properties?: Record<string, { type?: string; description?: string }>;
			required?: string[];
		};
		expect({
			name: tool.name,
			type: schema.type,
			properties: Object.keys(schema.properties ?? {}).sort(),
			required: [...(schema.required ?? [])].sort(),
		}).toEqual({
			name: tool.name,
			type: 'object',
			...expected[tool.name],
		});
		// Each tool's own description (not the node's generic one), as the example sets it.
		expect(tool.description).toBe(node(tool.name).parameters.toolDescription);
		const properties = schema.properties ?? {};
		if (properties.cardId) {
			expect(properties.cardId.type).toBe('string');
			expect(properties.cardId.description).toMatch(/card_/);
		}
		for (const money of ['amount', 'targetBalance']) {
			if (!properties[money]) continue;
			expect(properties[money].type).toBe('number');
			expect(properties[money].description).toMatch(/1\.00 to 5000\.00/);
		}
		if (properties.idempotencyKey) {
			expect(properties.idempotencyKey.type).toBe('string');
			expect(tool.description).toMatch(/10 minutes/);
		}
	}
	// No tool can read card numbers: the example has no Get Details tool.
	expect(
		workflowNodes.filter((n) => n.type === TOOL_TYPE).map((n) => n.parameters.operation),
	).not.toContain('getDetails');
});

test('the MCP endpoint refuses a client without the bearer token, and nothing reaches the emulator', async () => {
	emu().clearRequests();
	const refused = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
		body: JSON.stringify({
			jsonrpc: '2.0',
			id: 1,
			method: 'tools/call',
			params: { name: 'Fund_card', arguments: {} },
		}),
	});
	await refused.arrayBuffer();
	expect(refused.status).toBe(403);
	expect(emu().requests).toEqual([]);
});

test('Find_card lists the cards with label and last 4, and Get_card answers the card', async () => {
	const card = await newCard('MCP Meta Ads', 42);

	const found = await call('Find_card', {});
	expect(received()).toEqual([['GET', '/cards', { page: '1', per_page: '100' }]]);
	const listed = items(found) as unknown as CardView[];
	expect(listed.map((c) => c.id)).toEqual(
		emu()
			.state.cards()
			.map((c) => c.id),
	);
	expect(listed.find((c) => c.label === 'MCP Meta Ads')).toMatchObject({
		id: card.id,
		last4: card.last4,
		balance: 42,
	});

	const got = await call('Get_card', { cardId: card.id });
	expect(received()).toEqual([['GET', `/cards/${card.id}`, {}]]);
	// The tool's Output is Simplified by default: ten fields of the card go into the model's context.
	const stored = emu()
		.state.cards()
		.find((c) => c.id === card.id);
	const [answered] = items(got);
	expect(Object.keys(answered)).toHaveLength(10);
	expect(stored).toMatchObject(answered);
	expect(answered).not.toHaveProperty('allowed_categories');
});

test("List_card_transactions answers the card's transactions, newest first, merchant flattened", async () => {
	const card = await newCard('MCP Google Ads', 50);
	const other = await newCard('MCP other card', 50);
	await spend(card.id, 12.5);
	await spend(card.id, 80); // more than the balance: a decline
	await spend(other.id, 3);

	const answer = await call('List_card_transactions', { cardId: card.id });
	expect(received()).toEqual([
		// The listing pins its window at its start (the next whole second), so payments meanwhile move no page.
		[
			'GET',
			'/transactions',
			{
				card_id: card.id,
				page: '1',
				per_page: '20',
				to: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			},
		],
	]);
	const transactions = items(answer);
	expect(
		transactions.map((t) => [t.card_id, t.type, t.amount, t.merchant_name, t.decline_reason]),
	).toEqual([
		[card.id, 'decline', 80, 'E2E Ads Network', 'insufficient_balance'],
		[card.id, 'authorization', 12.5, 'E2E Ads Network', null],
	]);
});

test('Get_3DS_code answers the pending one-time code of that card only', async () => {
	const card = await newCard('MCP SaaS card', 50);
	const other = await newCard('MCP card without 3DS', 50);
	await spend(card.id, 9.99, true);
	await spend(other.id, 5, true);
	const challenge = emu()
		.state.challenges()
		.find((c) => c.card_id === card.id);
	expect(challenge?.status).toBe('pending');

	const answer = await call('Get_3DS_code', { cardId: card.id });
	expect(received()).toEqual([
		['GET', '/3ds', { card_id: card.id, status: 'pending', page: '1', per_page: '5' }],
	]);
	expect(items(answer)).toEqual([
		expect.objectContaining({
			id: challenge?.id,
			card_id: card.id,
			otp: challenge?.otp,
			amount: 9.99,
			status: 'pending',
		}),
	]);
});

test('Freeze_card freezes the card, Unfreeze_card makes it active again, and freezing it again freezes it', async () => {
	const card = await newCard('MCP freeze card', 30);
	// All in one 10-minute window: the second freeze, with the same arguments as the first, must freeze the card
	// again, not be answered with the first freeze's (now stale) result.
	await awayFromWindowEdge();
	const steps: Array<[string, string, string]> = [
		['Freeze_card', 'freeze', 'frozen'],
		['Unfreeze_card', 'unfreeze', 'active'],
		['Freeze_card', 'freeze', 'frozen'],
	];
	for (const [tool, command, status] of steps) {
		const answer = await call(tool, { cardId: card.id });
		expect(received().map(([method, p]) => [method, p])).toEqual([
			['POST', `/cards/${card.id}/${command}`],
		]);
		expect(items(answer)).toEqual([expect.objectContaining({ id: card.id, status })]);
		expect(
			emu()
				.state.cards()
				.find((c) => c.id === card.id)?.status,
		).toBe(status);
		// What the card does next: a frozen card declines, an unfrozen one pays.
		expect(await spend(card.id, 1)).toMatchObject(
			status === 'frozen'
				? { type: 'decline', decline_reason: 'card_frozen' }
				: { type: 'authorization' },
		);
	}
});

test('Top_up_card moves only the gap: a repeat moves nothing, the same call after spending tops up again', async () => {
	const card = await newCard('MCP top-up card', 20);
	await awayFromWindowEdge();
	const wallet0 = walletCents();

	const first = await call('Top_up_card', { cardId: card.id, targetBalance: 100 });
	expect(items(first)).toEqual([
		expect.objectContaining({ action: 'funded', amount_funded: 80, target_balance: 100 }),
	]);
	expect(posted()).toEqual([[`/cards/${card.id}/fund`, { amount: 80 }, false]]);
	expect([cardCents(card.id), walletCents()]).toEqual([10_000, wallet0 - 8_000]);

	// The same call again (an agent's retry): the card is at the target, no funding request, nothing moves.
	const again = await call('Top_up_card', { cardId: card.id, targetBalance: 100 });
	expect(items(again)).toEqual([expect.objectContaining({ action: 'none', amount_funded: 0 })]);
	expect(received().map(([method, p]) => [method, p])).toEqual([['GET', `/cards/${card.id}`]]);
	expect([cardCents(card.id), walletCents()]).toEqual([10_000, wallet0 - 8_000]);

	// The card spends 30.00; the same call again: a new gap, 30.00 moves.
	await spend(card.id, 30);
	const after = await call('Top_up_card', { cardId: card.id, targetBalance: 100 });
	expect(items(after)).toEqual([
		expect.objectContaining({ action: 'funded', amount_funded: 30, replayed: false }),
	]);
	expect(posted()).toEqual([[`/cards/${card.id}/fund`, { amount: 30 }, false]]);
	expect([cardCents(card.id), walletCents()]).toEqual([10_000, wallet0 - 11_000]);
});

test('Top_up_card after the card spent tops up the new gap with the same arguments, in the same window', async () => {
	const card = await newCard('MCP top-up after spend', 20);
	await awayFromWindowEdge();
	const wallet0 = walletCents();
	expect(items(await call('Top_up_card', { cardId: card.id, targetBalance: 100 }))).toEqual([
		expect.objectContaining({ action: 'funded', amount_funded: 80 }),
	]);
	// A different start balance is a different movement: it must neither be answered from the first one nor refused.
	await spend(card.id, 25);
	const second = await call('Top_up_card', { cardId: card.id, targetBalance: 100 });
	expect(items(second)).toEqual([expect.objectContaining({ action: 'funded', amount_funded: 25 })]);
	expect(posted()).toEqual([[`/cards/${card.id}/fund`, { amount: 25 }, false]]);
	expect([cardCents(card.id), walletCents()]).toEqual([10_000, wallet0 - 10_500]);
});

test('Fund_card called twice with the same arguments moves the money once; with a new idempotency key, again', async () => {
	const card = await newCard('MCP fund card', 10);
	await awayFromWindowEdge();
	const wallet0 = walletCents();

	const first = await call('Fund_card', { cardId: card.id, amount: 25 });
	const [firstItem] = items(first);
	expect(firstItem).toMatchObject({ card: { id: card.id, balance: 35 } });
	expect([cardCents(card.id), walletCents()]).toEqual([3_500, wallet0 - 2_500]);
	const [firstRequest] = emu().requests;
	expect([
		firstRequest.method,
		firstRequest.path,
		firstRequest.body,
		firstRequest.replayed,
	]).toEqual(['POST', `/cards/${card.id}/fund`, { amount: 25 }, false]);

	// The agent repeats the call (a timeout, a framework retry): answered from the first, no second movement.
	const repeat = await call('Fund_card', { cardId: card.id, amount: 25 });
	// The same card and wallet as the first answer (a note that this was a repeat may come with them).
	expect(items(repeat)).toEqual([
		expect.objectContaining({ card: firstItem.card, wallet: firstItem.wallet }),
	]);
	expect(emu().requests.map((r) => [r.method, r.path, r.idempotencyKey, r.replayed])).toEqual([
		['POST', `/cards/${card.id}/fund`, firstRequest.idempotencyKey, true],
	]);
	expect([cardCents(card.id), walletCents()]).toEqual([3_500, wallet0 - 2_500]);

	// A deliberate second 25.00: a new key moves it; repeating that key moves nothing more.
	const key = `agent-${randomUUID()}`;
	const second = await call('Fund_card', { cardId: card.id, amount: 25, idempotencyKey: key });
	expect(items(second)).toEqual([
		expect.objectContaining({ card: expect.objectContaining({ id: card.id, balance: 60 }) }),
	]);
	const [deliberate] = emu().requests;
	expect([deliberate.replayed, deliberate.idempotencyKey === firstRequest.idempotencyKey]).toEqual([
		false,
		false,
	]);
	const secondAgain = await call('Fund_card', { cardId: card.id, amount: 25, idempotencyKey: key });
	expect(emu().requests.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
		[deliberate.idempotencyKey, true],
	]);
	const [secondItem] = items(second);
	expect(items(secondAgain)).toEqual([
		expect.objectContaining({ card: secondItem.card, wallet: secondItem.wallet }),
	]);
	expect([cardCents(card.id), walletCents()]).toEqual([6_000, wallet0 - 5_000]);
});

test('bad input is a tool error naming the field, and no request reaches the emulator', async () => {
	const card = await newCard('MCP bad input card', 20);
	const cases: Array<[string, Json, RegExp]> = [
		['Fund_card', { cardId: card.id, amount: 0.5 }, /\bAmount\b/],
		['Top_up_card', { cardId: card.id, targetBalance: 0.5 }, /\bTarget Balance\b/],
		['Fund_card', { cardId: card.id, amount: 12.345 }, /\bAmount\b/],
		['Get_card', { cardId: '../wallet' }, /\bCard\b.*\.\.\/wallet/],
		['Freeze_card', { cardId: 'card_abc/../../wallet' }, /\bCard\b/],
		[
			'Fund_card',
			{ cardId: card.id, amount: 5, idempotencyKey: 'has spaces in it' },
			/\bIdempotency Key\b/,
		],
		['Fund_card', { cardId: card.id, amount: 501 }, /\bMax Amount\b/],
	];
	for (const [tool, args, field] of cases) {
		const answer = await call(tool, args);
		expect({ tool, args, isError: answer.isError, namesField: field.test(answer.text) }).toEqual({
			tool,
			args,
			isError: true,
			namesField: true,
		});
		expect({ tool, args, requests: emu().requests.length }).toEqual({ tool, args, requests: 0 });
	}
	expect([
		cardCents(card.id),
		emu()
			.state.cards()
			.find((c) => c.id === card.id)?.status,
	]).toEqual([2_000, 'active']);
});

test('Top_up_card refuses a gap above its Max Amount: a tool error, and no funding request', async () => {
	const card = await newCard('MCP bound card', 20);
	const answer = await call('Top_up_card', { cardId: card.id, targetBalance: 5000 });
	expect([answer.isError, /\bMax Amount\b/.test(answer.text)]).toEqual([true, true]);
	expect(received().filter(([method]) => method === 'POST')).toEqual([]);
	expect(cardCents(card.id)).toBe(2_000);
});

test('no tool answer of this file carried a card number or a CVV', async () => {
	expect(answers.length).toBeGreaterThan(10);
	const secrets: string[] = [];
	for (const card of emu().state.cards()) {
		const details = await api<{ pan: string; cvv: string }>('GET', `/cards/${card.id}/details`);
		secrets.push(details.pan);
	}
	expect(secrets.length).toBeGreaterThan(5);
	const keysOf = (value: unknown): string[] =>
		Array.isArray(value)
			? value.flatMap(keysOf)
			: value !== null && typeof value === 'object'
				? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
				: [];
	for (const answer of answers) {
		for (const pan of secrets) expect(answer.text.includes(pan)).toBe(false);
		// No 13-19 digit run at all (a PAN of a card made elsewhere), and no pan or cvv field.
		expect(answer.text).not.toMatch(/\d{13,19}/);
		expect(keysOf(answer.json).filter((k) => /^(pan|cvv|card_number|number)$/i.test(k))).toEqual(
			[],
		);
	}
});
