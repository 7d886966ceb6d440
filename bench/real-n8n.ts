/**
 * P5 of the bench: bulk funding inside one real n8n, this node against n8n's own HTTP Request node. The packed
 * package is installed in a real n8n (real-n8n/), the emulator answers funds after 40 ms and enforces the API's
 * published rate limits (1,000 requests a minute, 10,000 an hour), and each workflow funds fresh cards, one
 * `funding.fund` item per card, started by a production webhook that answers when the last node is done. Each
 * contender has an API key of its own, and waits until a full minute has passed since its last run, so no run spends
 * another's budget. Prints time, outcome and the money that moved, beside the baseline (HTTP Request with default
 * options) and the floor the limits set, per size. Usage: `npm run bench:n8n [-- --rounds 3 --items 300,1500]`.
 * `-- --queue [--items 800]`: n8n's queue mode instead (main, webhook processor, two workers taking one job each, on
 * Postgres and Redis): two executions at once fund `items` cards each on one API key; every card once, the 429s
 * answered, and the time against the floor. The workers share no memory: 429 and Retry-After are their only signal.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { RATE_LIMITS, ROUTES, TEST_KEY_PREFIX, toCents } from '../nodes/PrivCards/contract';
import type { Card } from '../nodes/PrivCards/contract';
import { Client } from '../emulator/client';
import { SANDBOX_TEST_KEY, startEmulator, type Emulator } from '../emulator/emulator';
import { ensureRealN8n, N8N_VERSION } from '../real-n8n/install';
import { buildAndPackPackage, PACKAGE_NAME } from '../real-n8n/package';
import { freePort } from '../real-n8n/ports';
import { formatDuration } from '../real-n8n/proc';
import { startQueueServices } from '../real-n8n/services';
import type { RunningN8n } from '../real-n8n/running';
import { N8nUserFolder } from '../real-n8n/user-folder';
import { OWNER, type Workflow, type WorkflowNode } from '../real-n8n/workflow';

const repoRoot = path.resolve(__dirname, '..', '..');
const FUND_LATENCY_MS = 40;
const FUND_AMOUNT = 1;
/** Cards are created with this key, which no rate limit applies to: the set-up spends nothing measured. */
const SETUP_KEY = `${TEST_KEY_PREFIX}benchsetup000000000000`;
/** A contender's runs are this far apart at least: the API's minute (and the node's count of it) is empty again. */
const RUN_SPACING_MS = RATE_LIMITS.minute.windowMs + 1_000;

function option(name: string, fallback: string): number[] {
	const index = process.argv.indexOf(`--${name}`);
	const text = index === -1 ? fallback : (process.argv[index + 1] ?? '');
	const values = text.split(',').map(Number);
	if (!values.every((value) => Number.isInteger(value) && value > 0))
		throw new Error(`--${name}: not counts: "${text}"`);
	return values;
}

type FundNode = Pick<WorkflowNode, 'type' | 'typeVersion' | 'parameters' | 'credentials'>;

interface Contender {
	label: string;
	/** Names the workflow's id, its webhook path, its API key and credential. */
	slug: string;
	fundNode(emulator: Emulator, contender: Contender): FundNode;
}

const apiKeyOf = (contender: Contender): string =>
	`${TEST_KEY_PREFIX}bench${contender.slug.replace(/-/g, '')}`;
const credentialOf = (contender: Contender) => ({
	id: `Bench${contender.slug.replace(/-/g, '')}`.padEnd(16, '0').slice(0, 16),
	name: `PrivCards bench ${contender.slug}`,
});

function httpRequestFund(
	emulator: Emulator,
	contender: Contender,
	options: Record<string, unknown>,
): FundNode {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `=${emulator.baseUrl}/cards/{{ $json.id }}/fund`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendHeaders: true,
			headerParameters: {
				parameters: [{ name: 'X-Idempotency-Key', value: '={{ $execution.id }}-{{ $json.id }}' }],
			},
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify({ amount: FUND_AMOUNT }),
			options,
		},
		credentials: { httpHeaderAuth: credentialOf(contender) },
	};
}

const contenders: Contender[] = [
	{
		label: 'PrivCards, Funding → Fund, default options',
		slug: 'privcards',
		fundNode: (_emulator, contender) => ({
			type: `${PACKAGE_NAME}.privCards`,
			typeVersion: 1,
			parameters: {
				resource: 'funding',
				operation: 'fund',
				cardId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				amount: FUND_AMOUNT,
			},
			credentials: { privCardsApi: credentialOf(contender) },
		}),
	},
	{
		label: 'n8n HTTP Request, default options (the baseline)',
		slug: 'http-default',
		fundNode: (emulator, contender) => httpRequestFund(emulator, contender, {}),
	},
	{
		label: 'n8n HTTP Request, Batching 50 items / 1 s',
		slug: 'http-batching',
		fundNode: (emulator, contender) =>
			httpRequestFund(emulator, contender, {
				batching: { batch: { batchSize: 50, batchInterval: 1000 } },
			}),
	},
	{
		label: 'n8n HTTP Request, Batching 16 items / 1 s',
		slug: 'http-batching16',
		fundNode: (emulator, contender) =>
			httpRequestFund(emulator, contender, {
				batching: { batch: { batchSize: 16, batchInterval: 1000 } },
			}),
	},
];

/**
 * The floor the published limits set for `items` funds answered after FUND_LATENCY_MS: a minute's (and an hour's)
 * requests at once, the next one a window after the first (the 1,001st fits at 60 s).
 */
function floorMs(items: number): number {
	const windows = [RATE_LIMITS.minute, RATE_LIMITS.hour];
	return (
		Math.max(...windows.map(({ max, windowMs }) => Math.floor((items - 1) / max) * windowMs)) +
		FUND_LATENCY_MS
	);
}

const webhookPath = (contender: Contender): string => `bench-${contender.slug}`;
const workflowId = (contender: Contender): string =>
	`bench${contender.slug.replace(/-/g, '')}`.padEnd(16, '0');

/** Webhook (answers when the last node is done) → Code (one item per card id of the body) → the fund node. */
function benchWorkflow(contender: Contender, emulator: Emulator): Workflow {
	const names = ['Webhook', 'Card IDs', 'Fund'];
	const nodes: WorkflowNode[] = [
		{
			name: names[0],
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: {
				httpMethod: 'POST',
				path: webhookPath(contender),
				responseMode: 'lastNode',
				responseData: 'firstEntryJson',
				options: {},
			},
		},
		{
			name: names[1],
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				jsCode: 'return $input.first().json.body.cardIds.map((id) => ({ json: { id } }));',
			},
		},
		{ name: names[2], position: [440, 0], ...contender.fundNode(emulator, contender) },
	];
	const connections = Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
	return {
		id: workflowId(contender),
		name: `Bench: ${contender.label}`,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

async function setupRequest<T>(
	emulator: Emulator,
	method: string,
	pathPart: string,
	body?: unknown,
): Promise<T> {
	const response = await new Client(emulator).request(method, pathPart, {
		body,
		apiKey: SETUP_KEY,
	});
	if (response.status >= 300) throw new Error(`${method} ${pathPart}: HTTP ${response.status}`);
	return response.body as T;
}

/** `count` new cards, created with the set-up key (no rate limit applies to it), 100 at a time. */
async function createCards(emulator: Emulator, count: number): Promise<Card[]> {
	const bins = await setupRequest<{ data: Array<{ id: string }> }>(
		emulator,
		'GET',
		ROUTES.listBins.path,
	);
	const cards: Card[] = [];
	while (cards.length < count) {
		const batch = Math.min(100, count - cards.length);
		cards.push(
			...(await Promise.all(
				Array.from({ length: batch }, () =>
					setupRequest<Card>(emulator, 'POST', ROUTES.createCard.path, {
						bin_id: bins.data[0].id,
						amount: 1,
					}),
				),
			)),
		);
	}
	return cards;
}

interface Measurement {
	ms: number;
	executionStatus: string;
	rateLimited: number;
	otherErrors: number;
	funded: number;
	overfunded: number;
}

const isFund = (requestPath: string): boolean => /^\/cards\/[^/]+\/fund$/.test(requestPath);

/** The fund requests the emulator received, and what each benchmarked card gained since `opening` (cents by id). */
function fundsAndMoves(
	emulator: Emulator,
	opening: ReadonlyMap<string, number>,
): { funds: Emulator['requests']; moved: number[] } {
	const funds = emulator.requests.filter(
		(request) => request.method === 'POST' && isFund(request.path),
	);
	const moved = emulator.state
		.cards()
		.filter((card) => opening.has(card.id))
		.map((card) => toCents(card.balance) - (opening.get(card.id) ?? 0));
	return { funds, moved };
}

/** Resolves once the emulator answered every request it received (a failed workflow may leave some in flight). */
async function requestsSettled(emulator: Emulator): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (emulator.requests.some((request) => request.status === null) && Date.now() < deadline)
		await sleep(50);
}

const newestFirst = (executions: Array<{ id: string; status: string }>) =>
	[...executions].sort((a, b) => Number(b.id) - Number(a.id));

/** The status of the workflow's first execution after `previousId`, once it has finished. */
async function executionStatusAfter(
	n8n: RunningN8n,
	id: string,
	previousId: string | undefined,
): Promise<string> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const [latest] = newestFirst(await n8n.executions(id));
		const status = latest === undefined || latest.id === previousId ? 'missing' : latest.status;
		if (!['new', 'running', 'missing'].includes(status) || Date.now() > deadline) return status;
		await sleep(100);
	}
}

const lastRunEnd = new Map<Contender, number>();

async function measure(
	n8n: RunningN8n,
	emulator: Emulator,
	contender: Contender,
	items: number,
): Promise<Measurement> {
	const cards = await createCards(emulator, items);
	const opening = new Map(cards.map((card) => [card.id, toCents(card.balance)]));
	const [previous] = newestFirst(await n8n.executions(workflowId(contender)));
	// A full minute since this contender's last run: nothing of it counts in the API's window, or in the node's.
	await sleep(Math.max(0, (lastRunEnd.get(contender) ?? 0) + RUN_SPACING_MS - Date.now()));
	emulator.clearRequests();
	const start = process.hrtime.bigint();
	const response = await fetch(n8n.webhookUrl(webhookPath(contender)), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ cardIds: cards.map((card) => card.id) }),
	});
	await response.arrayBuffer();
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	await requestsSettled(emulator);
	lastRunEnd.set(contender, Date.now());
	const { funds, moved } = fundsAndMoves(emulator, opening);
	return {
		ms,
		executionStatus: await executionStatusAfter(n8n, workflowId(contender), previous?.id),
		rateLimited: funds.filter((request) => request.status === 429).length,
		otherErrors: funds.filter(
			(request) => request.status !== null && request.status >= 400 && request.status !== 429,
		).length,
		funded: moved.filter((delta) => delta === toCents(FUND_AMOUNT)).length,
		overfunded: moved.filter((delta) => delta > toCents(FUND_AMOUNT)).length,
	};
}

/** What happened in one run or in several: the execution's status, and each count as a range over the runs. */
function outcome(runs: Measurement[]): string {
	const range = (count: (m: Measurement) => number): string => {
		const counts = runs.map(count);
		const [low, high] = [Math.min(...counts), Math.max(...counts)];
		return low === high ? String(low) : `${low}–${high}`;
	};
	const failed = runs.filter((m) => m.executionStatus !== 'success');
	const statuses = [...new Set(failed.map((m) => m.executionStatus))].join('/');
	const parts = [
		failed.length === 0
			? 'workflow succeeded'
			: runs.length === 1
				? `workflow ${statuses}`
				: `workflow ${statuses} in ${failed.length} of ${runs.length} runs`,
		`${range((m) => m.funded)} funded`,
		`${range((m) => m.rateLimited)} answered 429`,
	];
	if (runs.some((m) => m.otherErrors > 0))
		parts.push(`${range((m) => m.otherErrors)} other errors`);
	if (runs.some((m) => m.overfunded > 0))
		parts.push(`${range((m) => m.overfunded)} funded more than once`);
	return parts.join(', ');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** One n8n, set up: package installed, credentials and workflows imported and published, owner logged in. */
async function startBenchN8n(
	emulator: Emulator,
	log: (line: string) => void,
): Promise<{ n8n: RunningN8n; folder: N8nUserFolder; packDir: string }> {
	const real = await ensureRealN8n({ version: N8N_VERSION, log });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privcards-bench-pack-'));
	log('building and packing the package');
	const tarball = await buildAndPackPackage(repoRoot, packDir);
	const folder = N8nUserFolder.create(real, { prefix: 'privcards-bench-n8n-' });
	await folder.installPackage(tarball);
	await folder.importCredentials(
		contenders.map((contender, index) =>
			index === 0
				? {
						...credentialOf(contender),
						type: 'privCardsApi',
						data: { apiKey: apiKeyOf(contender), baseUrl: emulator.baseUrl },
					}
				: {
						...credentialOf(contender),
						type: 'httpHeaderAuth',
						data: { name: 'Authorization', value: `Bearer ${apiKeyOf(contender)}` },
					},
		),
	);
	await folder.importWorkflows(contenders.map((contender) => benchWorkflow(contender, emulator)));
	for (const contender of contenders) await folder.publish(workflowId(contender));
	log('starting n8n');
	const n8n = await folder.start();
	await n8n.ensureOwner(OWNER);
	for (const contender of contenders)
		await n8n.waitForWebhook(n8n.webhookUrl(webhookPath(contender)));
	return { n8n, folder, packDir };
}

/** Queue mode: main, a webhook processor and two workers with one job each; two fund runs on one key at once. */
async function queueMode(items: number, log: (line: string) => void): Promise<void> {
	const [ours] = contenders;
	const t0 = Date.now();
	const services = await startQueueServices();
	const emulator = await startEmulator({
		apiKeys: [SANDBOX_TEST_KEY, SETUP_KEY, apiKeyOf(ours)],
		unlimitedKeys: [SETUP_KEY],
		walletBalance: 100_000_000,
		latency: [{ method: 'POST', path: ROUTES.fundCard.path, ms: FUND_LATENCY_MS }],
	});
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privcards-bench-pack-'));
	const roles = ['main', 'webhook', 'worker-1', 'worker-2'];
	const folders: N8nUserFolder[] = [];
	const processes: RunningN8n[] = [];
	try {
		const real = await ensureRealN8n({ version: N8N_VERSION, log });
		const tarball = await buildAndPackPackage(repoRoot, packDir);
		const env = { ...services.n8nEnv, N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex') };
		for (const role of roles)
			folders.push(N8nUserFolder.create(real, { prefix: `privcards-bench-queue-${role}-`, env }));
		await Promise.all(folders.map((folder) => folder.installPackage(tarball)));
		await folders[0].importCredentials([
			{
				...credentialOf(ours),
				type: 'privCardsApi',
				data: { apiKey: apiKeyOf(ours), baseUrl: emulator.baseUrl },
			},
		]);
		await folders[0].importWorkflows([benchWorkflow(ours, emulator)]);
		await folders[0].publish(workflowId(ours));
		const ports = await Promise.all(roles.map(() => freePort()));
		const webhookUrl = { N8N_WEBHOOK_URL: `http://127.0.0.1:${ports[1]}/` };
		const main = await folders[0].start({
			port: ports[0],
			env: { ...webhookUrl, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		processes.push(main);
		const started = await Promise.all([
			folders[1].start({ command: 'webhook', port: ports[1], env: webhookUrl }),
			...[2, 3].map((index) =>
				folders[index].start({
					command: 'worker',
					port: ports[index],
					env: {
						...webhookUrl,
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(ports[index]),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
						// One job at a time: the two runs land on the two workers.
						N8N_CONCURRENCY_PRODUCTION_LIMIT: '1',
					},
				}),
			),
		]);
		processes.push(...started);
		const receiver = started[0];
		await main.ensureOwner(OWNER);
		await receiver.waitForWebhook(receiver.webhookUrl(webhookPath(ours)));
		log(`queue mode ready after ${formatDuration(Date.now() - t0)}`);

		const batches = [await createCards(emulator, items), await createCards(emulator, items)];
		const opening = new Map(batches.flat().map((card) => [card.id, toCents(card.balance)]));
		emulator.clearRequests();
		const start = Date.now();
		const answers = await Promise.all(
			batches.map(async (cards) => {
				const response = await fetch(receiver.webhookUrl(webhookPath(ours)), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ cardIds: cards.map((card) => card.id) }),
				});
				await response.arrayBuffer();
				return { status: response.status, ms: Date.now() - start };
			}),
		);
		const ms = Math.max(...answers.map((answer) => answer.ms));
		await requestsSettled(emulator);
		const { funds, moved } = fundsAndMoves(emulator, opening);
		const statuses = (await main.executions(workflowId(ours))).map((execution) => execution.status);
		const floor = floorMs(2 * items);
		process.stdout.write(
			[
				`Queue mode, n8n ${N8N_VERSION}: main, webhook processor, 2 workers (one job each), Postgres and Redis; two executions at once fund ${items} cards each on one API key, fund answered after ${FUND_LATENCY_MS} ms, the published limits`,
				`  executions: ${statuses.join(', ')}; webhook answers ${answers.map((answer) => `${answer.status} after ${seconds(answer.ms)}`).join(', ')}`,
				`  fund requests ${funds.length}, answered 429: ${funds.filter((request) => request.status === 429).length}, other errors: ${funds.filter((request) => request.status !== null && request.status >= 400 && request.status !== 429).length}`,
				`  cards funded exactly once: ${moved.filter((delta) => delta === toCents(FUND_AMOUNT)).length} of ${2 * items}; more than once: ${moved.filter((delta) => delta > toCents(FUND_AMOUNT)).length}; not at all: ${moved.filter((delta) => delta === 0).length}`,
				`  time ${seconds(ms)}; floor ${seconds(floor)} (${2 * items} requests at ${RATE_LIMITS.minute.max} a minute): ${(ms / floor).toFixed(2)}× the floor`,
				'',
			].join('\n'),
		);
	} finally {
		await Promise.all(processes.map((running) => running.stop()));
		for (const folder of folders) folder.remove();
		fs.rmSync(packDir, { recursive: true, force: true });
		await emulator.stop();
		await services.stop();
	}
}

async function main(): Promise<void> {
	const log = (line: string): void => {
		process.stderr.write(`[bench:n8n] ${line}\n`);
	};
	if (process.argv.includes('--queue')) return await queueMode(option('items', '800')[0], log);
	const [rounds] = option('rounds', '3');
	const sizes = option('items', '300,1500');
	const t0 = Date.now();
	const emulator = await startEmulator({
		apiKeys: [SANDBOX_TEST_KEY, SETUP_KEY, ...contenders.map(apiKeyOf)],
		unlimitedKeys: [SETUP_KEY],
		walletBalance: 100_000_000,
		latency: [{ method: 'POST', path: ROUTES.fundCard.path, ms: FUND_LATENCY_MS }],
	});
	let started: Awaited<ReturnType<typeof startBenchN8n>> | undefined;
	try {
		started = await startBenchN8n(emulator, log);
		log(`n8n ${N8N_VERSION} ready after ${formatDuration(Date.now() - t0)}`);
		for (const items of sizes) {
			const results = new Map<Contender, Measurement[]>(
				contenders.map((contender) => [contender, []]),
			);
			for (let round = 1; round <= rounds; round++) {
				for (const contender of contenders) {
					const m = await measure(started.n8n, emulator, contender, items);
					results.get(contender)?.push(m);
					log(
						`${items} funds, round ${round}/${rounds}, ${contender.label}: ${seconds(m.ms)}, ${outcome([m])}`,
					);
				}
			}
			report(results, rounds, items);
		}
	} finally {
		await started?.n8n.stop();
		started?.folder.remove();
		if (started) fs.rmSync(started.packDir, { recursive: true, force: true });
		await emulator.stop();
	}
}

function report(results: Map<Contender, Measurement[]>, rounds: number, items: number): void {
	const floor = floorMs(items);
	const medianOf = (contender: Contender) =>
		median((results.get(contender) ?? []).map((m) => m.ms));
	const [ours, baseline, , batching16] = contenders;
	const baselineMs = medianOf(baseline);
	const lines = [
		`P5 real n8n ${N8N_VERSION}: ${items} funding.fund items, fund answered after ${FUND_LATENCY_MS} ms, ` +
			`the published limits (${RATE_LIMITS.minute.max} requests a minute, ${RATE_LIMITS.hour.max} an hour); best / median of ${rounds} rounds`,
		'',
		'| node | best | median | median / baseline | median / floor | outcome (over the rounds) |',
		'|---|---|---|---|---|---|',
	];
	for (const [contender, measurements] of results) {
		const times = measurements.map((m) => m.ms);
		lines.push(
			`| ${contender.label} | ${seconds(Math.min(...times))} | ${seconds(median(times))} | ${(median(times) / baselineMs).toFixed(2)}× | ${(median(times) / floor).toFixed(2)}× | ${outcome(measurements)} |`,
		);
	}
	lines.push(`| what the rate limits allow (the floor) | ${seconds(floor)} | | | 1.00× | |`);
	const oursMs = medianOf(ours);
	const clean = (results.get(ours) ?? []).every(
		(m) =>
			m.executionStatus === 'success' &&
			m.funded === items &&
			m.overfunded === 0 &&
			m.otherErrors === 0 &&
			m.rateLimited === 0,
	);
	const cleanText = clean
		? '0 errors, 0 answered 429, every card funded once'
		: 'errors, 429s or money not moved exactly';
	lines.push('');
	if (items <= RATE_LIMITS.minute.max) {
		const ratio = oursMs / baselineMs;
		lines.push(
			`goal (inside one minute's budget): PrivCards ≤ 1.2× HTTP Request with default options: ${ratio <= 1.2 && clean ? 'met' : 'not met'} (${ratio.toFixed(2)}×, ${cleanText})`,
		);
	} else {
		const versusBatching = oursMs / medianOf(batching16);
		const versusFloor = oursMs / floor;
		lines.push(
			`goal: PrivCards ≤ 0.75× Batching 16 / 1 s: ${versusBatching <= 0.75 ? 'met' : 'not met'} (${versusBatching.toFixed(2)}×)`,
			`goal: PrivCards ≤ 1.1× the floor, 0 answered 429, every card funded once: ${versusFloor <= 1.1 && clean ? 'met' : 'not met'} (${versusFloor.toFixed(2)}×, ${cleanText})`,
		);
	}
	process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
