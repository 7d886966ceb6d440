/**
 * `npm run bench`: P1–P4 against the offline emulator, each figure beside a baseline measured in the same run (a bare
 * loop doing the same API work without n8n, or the floor the API's published rate limits set), with the ratio and the
 * goal; then P5 (bench/real-n8n.ts) in a real n8n. Options: `--only P1,P2C,P3` (any of P1, P2C, P2, P3, P4, P5),
 * `--skip-n8n` (no P5), and the counts `--gets 2000` `--creates 100` `--funds 1500` `--transactions 20000`
 * `--events 2000`. Runs with --expose-gc for the heap figures.
 */
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';

import { HEADERS, RATE_LIMITS, ROUTES, TEST_KEY_PREFIX } from '../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../emulator/sandbox-routes';
import type { Card, ListPage } from '../nodes/PrivCards/contract';
import { computeSignature, verifySignature } from '../nodes/PrivCards/trigger/signature';
import { pathOf } from '../emulator/client';
import { WINDOW_SCALE } from '../nodes/PrivCards/transport/rateLimit';
import { NO_RATE_LIMITS, SANDBOX_TEST_KEY, startEmulator } from '../emulator/emulator';
import type { Emulator, EmulatorOptions } from '../emulator/emulator';
import type { IDataObject } from 'n8n-workflow';
import { runNode } from '../test/harness/n8n';
import { TriggerHarness } from '../test/harness/trigger';

const { values } = parseArgs({
	options: {
		only: { type: 'string', default: 'P1,P2C,P2,P3,P4,P5' },
		'skip-n8n': { type: 'boolean', default: false },
		gets: { type: 'string', default: '2000' },
		creates: { type: 'string', default: '100' },
		funds: { type: 'string', default: '1500' },
		transactions: { type: 'string', default: '20000' },
		events: { type: 'string', default: '2000' },
	},
	strict: true,
});

function count(name: 'gets' | 'creates' | 'funds' | 'transactions' | 'events'): number {
	const value = Number(values[name]);
	if (!Number.isInteger(value) || value < 1)
		throw new Error(`--${name}: not a count: "${values[name]}"`);
	return value;
}

const selected = new Set(
	values.only
		.toUpperCase()
		.split(',')
		.map((part) => part.trim()),
);
if (values['skip-n8n']) selected.delete('P5');

/** Cards and transactions are seeded with this key, which no rate limit applies to: the set-up spends nothing measured. */
const SETUP_KEY = `${TEST_KEY_PREFIX}benchsetup000000000000`;
const FUND_LATENCY_MS = 40;
const CREATE_LATENCY_MS = 40;
const PAGE_LATENCY_MS = 25;
const EVENT_BYTES = 2048;

interface Answer {
	status: number;
	body: unknown;
}

/** The baseline's HTTP: node's own client over one keep-alive agent, nothing else. */
class BareClient {
	private readonly agent = new Agent({ keepAlive: true });

	constructor(
		private readonly emulator: Emulator,
		private readonly apiKey = emulator.testKey,
	) {}

	async send(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<Answer> {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		return await new Promise<Answer>((resolve, reject) => {
			const outgoing = httpRequest(
				`${this.emulator.baseUrl}${path}`,
				{
					method,
					agent: this.agent,
					headers: {
						Authorization: `Bearer ${this.apiKey}`,
						...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
						...headers,
					},
				},
				(response) => {
					text(response).then(
						(raw) => resolve({ status: response.statusCode ?? 0, body: JSON.parse(raw) }),
						reject,
					);
				},
			);
			outgoing.on('error', reject);
			outgoing.end(payload);
		});
	}

	/** Sends until the answer is not a 429, waiting each Retry-After: for the set-up, not for what is measured. */
	async sendPatiently(method: string, path: string, body?: unknown): Promise<Answer> {
		for (;;) {
			const answer = await this.send(method, path, body);
			if (answer.status !== 429) return answer;
			await new Promise((resolve) => setTimeout(resolve, 1_000));
		}
	}

	close(): void {
		this.agent.destroy();
	}
}

function expectStatus(answer: Answer, status: number, what: string): unknown {
	if (answer.status !== status)
		throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
	return answer.body;
}

async function timedMs(work: () => Promise<void>): Promise<number> {
	const start = performance.now();
	await work();
	return performance.now() - start;
}

/** The most heap in use above the settled heap before `work`, sampled every 5 ms, in MB. */
async function peakHeapMb(work: () => Promise<void>): Promise<{ ms: number; peakMb: number }> {
	(globalThis as { gc?: () => void }).gc?.();
	const settled = process.memoryUsage().heapUsed;
	let peak = settled;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed);
	}, 5);
	const ms = await timedMs(work);
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().heapUsed);
	return { ms, peakMb: (peak - settled) / 1024 / 1024 };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (items: number, ms: number) => items / (ms / 1000);
const rate = (value: number) => `${value.toFixed(0)}/s`;
const times = (ratio: number) => `${ratio.toFixed(2)}×`;

function goal(text: string, met: boolean): void {
	console.log(`  goal ${text}: ${met ? 'met' : 'not met'}`);
}

const credential = (emulator: Emulator) => ({
	apiKey: emulator.testKey,
	baseUrl: emulator.baseUrl,
});
const byId = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

async function withEmulator(
	options: EmulatorOptions,
	work: (emulator: Emulator) => Promise<void>,
): Promise<void> {
	const emulator = await startEmulator({
		apiKeys: [SANDBOX_TEST_KEY, SETUP_KEY],
		unlimitedKeys: [SETUP_KEY],
		...options,
	});
	try {
		await work(emulator);
	} finally {
		await emulator.stop();
	}
}

async function createCards(client: BareClient, cards: number, amount: number): Promise<Card[]> {
	const created: Card[] = [];
	for (let index = 0; index < cards; index++) {
		const answer = await client.sendPatiently('POST', ROUTES.createCard.path, {
			bin_id: '491653',
			amount,
		});
		created.push(expectStatus(answer, 201, 'create a card') as Card);
	}
	return created;
}

/**
 * The floor the published limits set for `requests` of one route, each answered after `latencyMs`: every window's
 * `max` fit at once, the next a window after (the (max+1)th request fits when the first leaves the window).
 */
function floorMs(
	requests: number,
	limits: Array<{ max: number; windowMs: number }>,
	latencyMs: number,
): number {
	return (
		Math.max(...limits.map(({ max, windowMs }) => Math.floor((requests - 1) / max) * windowMs)) +
		latencyMs
	);
}

async function p1Overhead(gets: number): Promise<void> {
	// The node's own budget out of the way (its windows scaled to nothing), as the emulator's limits are: P1 is the
	// overhead per request; 2,000 gets at the published 1,000 a minute would only show that limit.
	WINDOW_SCALE.factor = 1e-9;
	await withEmulator({ rateLimits: NO_RATE_LIMITS }, async (emulator) => {
		const client = new BareClient(emulator);
		const [card] = await createCards(client, 1, 10);
		const cardPath = pathOf(ROUTES.getCard, { cardId: card.id });
		const bareLoop = async (items: number) => {
			for (let index = 0; index < items; index++)
				expectStatus(await client.send('GET', cardPath), 200, 'card.get');
		};
		const nodeRun = async (items: number) => {
			const result = await runNode(
				{
					parameters: {
						resource: 'card',
						operation: 'get',
						cardId: byId,
						options: { concurrency: 1 },
					},
				},
				{
					credential: credential(emulator),
					input: Array.from({ length: items }, () => ({ id: card.id })),
				},
			);
			if (result.error !== undefined || result.items.length !== items)
				throw new Error(`card.get run failed: ${result.error?.message}`);
		};
		// One untimed pass of each, so that module loading and JIT warm-up count for neither side.
		await bareLoop(200);
		await nodeRun(200);
		const bare = perSecond(gets, await timedMs(() => bareLoop(gets)));
		const node = perSecond(gets, await timedMs(() => nodeRun(gets)));
		client.close();
		console.log(`P1 overhead: ${gets} card.get, concurrency 1, no latency`);
		console.log(
			`  bare keep-alive HTTP loop ${rate(bare)}, PrivCards node ${rate(node)}: ${times(node / bare)} the items/s`,
		);
		console.log("  (the rate limits off on both sides: the node's budget and the emulator's)");
		goal('≥ 0.8× the bare loop', node / bare >= 0.8);
	});
	WINDOW_SCALE.factor = 1;
}

/** Outcome of one node run: errors (the run's and error items) and the 429s the emulator answered. */
async function runMeasured(
	emulator: Emulator,
	parameters: IDataObject,
	input: IDataObject[],
): Promise<{ ms: number; errors: number; refused: number; items: number }> {
	emulator.clearRequests();
	let errors = 0;
	let items = 0;
	const ms = await timedMs(async () => {
		const result = await runNode({ parameters }, { credential: credential(emulator), input });
		items = result.items.length;
		errors =
			(result.error === undefined ? 0 : 1) +
			result.items.filter((item) => item.json.error !== undefined).length;
	});
	const refused = emulator.requests.filter((request) => request.status === 429).length;
	return { ms, errors, refused, items };
}

async function p2BulkCreates(creates: number): Promise<void> {
	await withEmulator(
		{ latency: [{ method: 'POST', path: ROUTES.createCard.path, ms: CREATE_LATENCY_MS }] },
		async (emulator) => {
			const before = emulator.state.cards().length;
			const run = await runMeasured(
				emulator,
				{ resource: 'card', operation: 'create', binId: '491653', amount: 1 },
				Array.from({ length: creates }, () => ({})),
			);
			const created = emulator.state.cards().length - before;
			const floor = floorMs(
				creates,
				[RATE_LIMITS.cardCreates, RATE_LIMITS.minute],
				CREATE_LATENCY_MS,
			);
			console.log(
				`P2C bulk card creation: ${creates} card.create, ${CREATE_LATENCY_MS} ms a create, the published limits on (${RATE_LIMITS.cardCreates.max} creates a minute)`,
			);
			console.log(
				`  PrivCards node ${seconds(run.ms)}; floor ${seconds(floor)} (the ${RATE_LIMITS.cardCreates.max + 1}st create fits a minute after the first): node ${times(run.ms / floor)} the floor`,
			);
			console.log(
				`  node errors ${run.errors}, 429s answered ${run.refused}, cards created ${created}`,
			);
			goal('≤ 1.1× the floor', run.ms / floor <= 1.1);
			goal(
				'0 errors, 0 answered 429, every card created once',
				run.errors === 0 && run.refused === 0 && created === creates,
			);
		},
	);
}

async function p2BulkFunding(funds: number): Promise<void> {
	const cardCount = Math.min(200, funds);
	await withEmulator({ walletBalance: 10_000_000 }, async (emulator) => {
		const setup = new BareClient(emulator, SETUP_KEY);
		const cards = await createCards(setup, cardCount, 1);
		setup.close();
		emulator.setLatency([{ method: 'POST', path: ROUTES.fundCard.path, ms: FUND_LATENCY_MS }]);
		const input = Array.from({ length: funds }, (_, index) => ({
			id: cards[index % cardCount].id,
		}));
		const balances = () => new Map(emulator.state.cards().map((card) => [card.id, card.balance]));
		const fundsPerCard = (id: string) => input.filter((item) => item.id === id).length;
		const before = { cards: balances(), wallet: emulator.state.wallet().balance };
		const run = await runMeasured(
			emulator,
			{ resource: 'funding', operation: 'fund', cardId: byId, amount: 1 },
			input,
		);
		const exact =
			cards.every(
				(card) =>
					balances().get(card.id) === (before.cards.get(card.id) ?? 0) + fundsPerCard(card.id),
			) && emulator.state.wallet().balance === before.wallet - funds;
		const floor = floorMs(funds, [RATE_LIMITS.minute, RATE_LIMITS.hour], FUND_LATENCY_MS);
		console.log(
			`P2 bulk funding: ${funds} funds over ${cardCount} cards, ${FUND_LATENCY_MS} ms a fund, the published limits on (${RATE_LIMITS.minute.max} requests a minute)`,
		);
		console.log(
			`  PrivCards node ${seconds(run.ms)}; floor ${seconds(floor)} (the ${RATE_LIMITS.minute.max + 1}st request fits a minute after the first): node ${times(run.ms / floor)} the floor`,
		);
		console.log(
			`  node errors ${run.errors}, 429s answered ${run.refused}, balances ${exact ? 'exact' : 'WRONG'}`,
		);
		goal('≤ 1.1× the floor', run.ms / floor <= 1.1);
		goal(
			'0 errors, 0 answered 429, balances exact',
			run.errors === 0 && run.refused === 0 && exact,
		);
	});
}

async function seedTransactions(emulator: Emulator, transactions: number): Promise<void> {
	const setup = new BareClient(emulator, SETUP_KEY);
	const perCard = 4_000;
	const cards = await createCards(setup, Math.ceil(transactions / perCard), 5000);
	const merchant = { name: 'META ADS', category: 'advertising' };
	const inParallel = 64;
	for (let done = 0; done < transactions; done += inParallel) {
		await Promise.all(
			Array.from({ length: Math.min(inParallel, transactions - done) }, async (_, offset) => {
				const card = cards[Math.floor((done + offset) / perCard)];
				const answer = await setup.send('POST', SANDBOX_ROUTES.authorize.path, {
					card_id: card.id,
					amount: 1,
					merchant,
				});
				expectStatus(answer, 201, 'authorize');
			}),
		);
	}
	setup.close();
}

async function p3ReturnAll(transactions: number): Promise<void> {
	await withEmulator({ walletBalance: 10_000_000 }, async (emulator) => {
		await seedTransactions(emulator, transactions);
		emulator.setLatency([
			{ method: 'GET', path: ROUTES.listTransactions.path, ms: PAGE_LATENCY_MS },
		]);
		const pages = Math.ceil(transactions / 100);
		const client = new BareClient(emulator);
		let bareListed = 0;
		const bare = await peakHeapMb(async () => {
			const records: unknown[] = [];
			for (let page = 1; ; page++) {
				const body = expectStatus(
					await client.send('GET', `${ROUTES.listTransactions.path}?page=${page}&per_page=100`),
					200,
					'list',
				) as ListPage<unknown>;
				records.push(...body.data);
				if (body.has_more !== true) break;
			}
			bareListed = records.length;
		});
		client.close();
		emulator.clearRequests();
		let nodeListed = 0;
		const node = await peakHeapMb(async () => {
			const result = await runNode(
				{ parameters: { resource: 'transaction', operation: 'getMany', returnAll: true } },
				{ credential: credential(emulator) },
			);
			if (result.error !== undefined) throw result.error;
			nodeListed = result.items.length;
		});
		const requests = emulator.requests.length;
		console.log(`P3 Return All: ${transactions} transactions, ${PAGE_LATENCY_MS} ms a page`);
		console.log(
			`  bare sequential paging loop ${seconds(bare.ms)} (${bareListed} listed, peak heap +${bare.peakMb.toFixed(1)} MB)`,
		);
		console.log(
			`  PrivCards node ${seconds(node.ms)} (${nodeListed} listed, ${requests} requests, peak heap +${node.peakMb.toFixed(1)} MB): ${times(node.ms / bare.ms)} the loop's time`,
		);
		goal(
			`exactly ${pages} requests, every transaction`,
			requests === pages && nodeListed === transactions,
		);
		goal("≤ 0.25× the loop's time", node.ms / bare.ms <= 0.25);
	});
}

function eventBody(id: string): Buffer {
	const event = {
		id,
		type: 'card.funded',
		created_at: new Date().toISOString(),
		data: { card_id: 'card_Bench0000001', amount: 1, note: '' },
	};
	const padding = EVENT_BYTES - Buffer.byteLength(JSON.stringify(event));
	event.data.note = 'x'.repeat(Math.max(0, padding));
	return Buffer.from(JSON.stringify(event), 'utf8');
}

/** A webhook receiver with nothing but a bare HMAC check: the baseline of the trigger's delivery path. */
async function startBareReceiver(secret: string): Promise<{ url: string; stop(): Promise<void> }> {
	const server = createServer((request, response) => {
		text(request).then(
			(raw) => {
				const valid =
					createHmac('sha256', secret).update(raw).digest('hex') ===
					request.headers[HEADERS.signature.toLowerCase()];
				JSON.parse(raw);
				response.writeHead(valid ? 200 : 401).end();
			},
			() => request.socket.destroy(),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook`,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function p4Trigger(events: number): Promise<void> {
	const secret = randomBytes(24).toString('hex');
	const sample = eventBody('evt_Sample00001');
	const header = computeSignature(sample, secret);
	const verifications = 20_000;
	const bareCheck = (rounds: number) => async () => {
		for (let index = 0; index < rounds; index++) {
			if (createHmac('sha256', secret).update(sample).digest('hex') !== header)
				throw new Error('bare HMAC');
		}
	};
	const ourCheck = (rounds: number) => async () => {
		for (let index = 0; index < rounds; index++)
			if (!verifySignature(sample, header, secret)) throw new Error('verifySignature');
	};
	await bareCheck(2_000)();
	await ourCheck(2_000)();
	const bareMs = await timedMs(bareCheck(verifications));
	const ourMs = await timedMs(ourCheck(verifications));
	const micros = (ms: number) => `${((ms * 1000) / verifications).toFixed(1)} µs`;
	console.log(`P4 trigger: ${sample.length}-byte events`);
	console.log(
		`  verification per event: bare crypto HMAC ${micros(bareMs)}, trigger/signature.ts ${micros(ourMs)}: ${times(ourMs / bareMs)}`,
	);

	await withEmulator({ rateLimits: NO_RATE_LIMITS }, async (emulator) => {
		const trigger = await TriggerHarness.start({
			credential: credential(emulator),
			events: ['card.funded'],
		});
		const bare = await startBareReceiver(secret);
		try {
			await trigger.activate();
			const toTrigger = async (body: Buffer, signature: string) =>
				(await trigger.post(body, { [HEADERS.signature]: signature })).status;
			const toBare = async (body: Buffer, signature: string) =>
				(
					await fetch(bare.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', [HEADERS.signature]: signature },
						body,
					})
				).status;
			const run = async (post: typeof toTrigger, idPrefix: string, key: string) => {
				for (let index = 0; index < events; index++) {
					const body = eventBody(`evt_${idPrefix}${String(index).padStart(8, '0')}`);
					const status = await post(body, computeSignature(body, key));
					if (status !== 200) throw new Error(`delivery ${index}: HTTP ${status}`);
				}
			};
			await run(toBare, 'Warm', secret);
			const bareDeliveries = perSecond(events, await timedMs(() => run(toBare, 'Bare', secret)));
			const triggerDeliveries = perSecond(
				events,
				await timedMs(() => run(toTrigger, 'Trig', trigger.signingSecret)),
			);
			console.log(
				`  deliveries one after another (${events}): bare HTTP handler ${rate(bareDeliveries)}, the trigger's webhook path ${rate(triggerDeliveries)}: ${times(triggerDeliveries / bareDeliveries)}`,
			);
			console.log('  goal: none set for P4 (reported for comparison)');
		} finally {
			await bare.stop();
			await trigger.stop();
		}
	});
}

/** P5 runs as its own script: it installs and starts a real n8n (see bench/real-n8n.ts). */
function p5RealN8n(): void {
	console.log('P5 real n8n: bench/real-n8n.ts (npm run bench:n8n)');
	const { status } = spawnSync(process.execPath, [join(__dirname, 'real-n8n.js')], {
		stdio: 'inherit',
	});
	if (status !== 0) process.exitCode = 1;
}

async function main(): Promise<void> {
	console.log(`npm run bench on Node.js ${process.version}, the offline emulator on loopback`);
	if (selected.has('P1')) await p1Overhead(count('gets'));
	if (selected.has('P2C')) await p2BulkCreates(count('creates'));
	if (selected.has('P2')) await p2BulkFunding(count('funds'));
	if (selected.has('P3')) await p3ReturnAll(count('transactions'));
	if (selected.has('P4')) await p4Trigger(count('events'));
	if (selected.has('P5')) p5RealN8n();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
