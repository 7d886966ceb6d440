// End-to-end: a newcomer's first run. What `npm start` sets up (the packed package in a real n8n, the emulator with
// its demo account, the credential, the examples), then:
//   1. the auto-fund example, run as it is imported (its schedule swapped for a manual start), funds the demo cards
//      below its target and leaves the others alone;
//   2. the decline-alert example (Slack swapped for a local sink), published, is set off by the simulate command
//      `npm start` prints, run as printed, and the sink receives the alert;
//   3. the 3DS example, published as it is imported (its Slack node switched off until the user sets it up), ends
//      green when its printed simulate command runs: an example whose first run ends in an error fails here.

import { toCents } from '../../nodes/PrivCards/contract';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';

import type { Card } from '../../nodes/PrivCards/contract';
import { DEMO_EXAMPLE_CARDS } from '../../emulator/demo-data';
import { prepareDemoInstance, type DemoInstance } from '../../real-n8n/demo-instance';
import { simulateCommands, tryTheExamples } from '../../real-n8n/examples-help';
import { nodeOutput } from '../../real-n8n/cli';
import { PACKAGE_NAME } from '../../real-n8n/package';
import type { RunningN8n } from '../../real-n8n/running';
import type { Workflow as SupportWorkflow } from '../../real-n8n/workflow';
import { slackToSink } from './support';

jest.setTimeout(5 * 60_000);

type Json = Record<string, unknown>;
interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Json;
	credentials?: Json;
	[key: string]: unknown;
}
type Workflow = Json & { id: string; name: string; nodes: WorkflowNode[] };

let demo: DemoInstance | undefined;
let n8n: RunningN8n | undefined;
let sink: http.Server | undefined;
let sinkUrl = '';
const sunk: string[] = [];

function example(match: (workflow: Workflow) => boolean): Workflow {
	const found = demo?.examples.map((entry) => entry.workflow as Workflow).find(match);
	if (found === undefined) throw new Error('example not found in examples/');
	return JSON.parse(JSON.stringify(found)) as Workflow;
}

const hasNode = (workflow: Workflow, test: (node: WorkflowNode) => boolean) =>
	workflow.nodes.some(test);

/** Runs a printed shell command from the repository root; resolves with its output, rejects on a non-zero exit. */
async function runPrinted(command: string, cwd: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const child = spawn('sh', ['-c', command], { cwd, env: process.env });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(output) : reject(new Error(`"${command}" exited ${code}:\n${output}`)),
		);
	});
}

async function waitFor<T>(
	what: string,
	probe: () => T | undefined,
	timeoutMs = 60_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${what}\n${n8n?.output(60) ?? ''}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

beforeAll(async () => {
	demo = await prepareDemoInstance({
		prefix: 'privcards-first-run-',
		log: (line) => process.stderr.write(`[e2e] ${line}\n`),
	});
	sink = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			sunk.push(Buffer.concat(chunks).toString('utf8'));
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => sink?.listen(0, '127.0.0.1', resolve));
	const address = sink.address();
	sinkUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slack`;
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await demo?.dispose({ keepFolder: process.env.PRIVCARDS_E2E_KEEP !== undefined });
	await new Promise<void>((resolve) => (sink ? sink.close(() => resolve()) : resolve()));
}, 60_000);

test('npm start prints, after the editor URL, what sets each example off, with real card ids', () => {
	if (!demo) throw new Error('set-up failed');
	const workflows = demo.examples.map((entry) => entry.workflow);
	const lines = tryTheExamples(workflows, demo.emulator.state.cards(), demo.emulator.baseUrl);
	const text = lines.join('\n');
	const commands = simulateCommands(demo.emulator.baseUrl);
	expect(text).toContain(commands.decline);
	expect(text).toContain(commands.threeDs);
	expect(text).toContain(commands.deposit);
	expect(text).toMatch(/3 of the 6 active cards are below 100 USD/);
	const ids = new Set(demo.emulator.state.cards().map((card) => card.id));
	expect(ids.has(DEMO_EXAMPLE_CARDS.decline) && ids.has(DEMO_EXAMPLE_CARDS.threeDs)).toBe(true);
});

test('the auto-fund example funds the demo cards below its target and leaves the others alone', async () => {
	if (!demo) throw new Error('set-up failed');
	const workflow = example((candidate) =>
		hasNode(candidate, (node) => node.parameters.operation === 'topUp'),
	);
	const schedule = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
	if (!schedule) throw new Error('the auto-fund example has no Schedule Trigger');
	Object.assign(schedule, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
	const topUp = workflow.nodes.find(
		(node) => node.parameters.operation === 'topUp',
	) as WorkflowNode;
	const target = Number(topUp.parameters.targetBalance);

	const before = demo.emulator.state.cards();
	await demo.folder.importWorkflows([workflow]);
	const result = await demo.folder.execute(workflow.id);
	expect(result.status).toBe('success');

	const outputs = nodeOutput(result.run, topUp.name).map((item) => item as Json);
	const funded = outputs.filter((item) => item.action === 'funded');
	const leftAlone = outputs.filter((item) => item.action === 'none');
	expect(funded.length).toBeGreaterThanOrEqual(1);
	expect(leftAlone.length).toBeGreaterThanOrEqual(1);
	// The output has the same compact keys either way, each value once, in the API's snake_case.
	expect(Object.keys(leftAlone[0]).sort()).toEqual(Object.keys(funded[0]).sort());
	expect(Object.keys(leftAlone[0]).sort()).toEqual([
		'action',
		'amount_funded',
		'card',
		'replayed',
		'target_balance',
	]);
	expect(leftAlone[0]).toMatchObject({ amount_funded: 0 });

	const after = new Map(demo.emulator.state.cards().map((card) => [card.id, card]));
	for (const card of before) {
		const now = after.get(card.id) as Card;
		const expected =
			card.status === 'active'
				? Math.max(toCents(card.balance), toCents(target))
				: toCents(card.balance);
		expect({ id: card.id, balance: toCents(now.balance) }).toEqual({
			id: card.id,
			balance: expected,
		});
	}
	const below = before.filter((card) => card.status === 'active' && card.balance < target);
	expect(funded.map((item) => (item.card as Card).id).sort()).toEqual(
		below.map((card) => card.id).sort(),
	);
});

test('the decline-alert example, published, alerts the sink when the printed simulate command runs', async () => {
	if (!demo) throw new Error('set-up failed');
	const workflow = example((candidate) =>
		hasNode(
			candidate,
			(node) =>
				node.type === `${PACKAGE_NAME}.privCardsTrigger` &&
				([] as unknown[]).concat(node.parameters.events).includes('transaction.declined'),
		),
	);
	slackToSink(workflow as unknown as SupportWorkflow, sinkUrl);
	// The 3DS example as it is imported, Slack switched off: its first run must end green too.
	const threeDs = example((candidate) =>
		hasNode(
			candidate,
			(node) =>
				node.type === `${PACKAGE_NAME}.privCardsTrigger` &&
				([] as unknown[]).concat(node.parameters.events).includes('3ds.challenge'),
		),
	);
	await demo.folder.importWorkflows([threeDs]);
	await demo.folder.publish(threeDs.id);
	await demo.folder.importWorkflows([workflow]);
	await demo.folder.publish(workflow.id);
	n8n = await demo.folder.start();
	const endpoint = await waitFor('the trigger to register its webhook', () =>
		demo?.emulator.state
			.webhooks()
			.find((registered) => registered.events.includes('transaction.declined')),
	);
	await n8n.waitForWebhook(endpoint.url);

	const printed = tryTheExamples(
		demo.examples.map((entry) => entry.workflow),
		demo.emulator.state.cards(),
		demo.emulator.baseUrl,
	)
		.map((line) => line.trim())
		.find((line) => line.startsWith('npm run sandbox -- simulate decline'));
	if (printed === undefined) throw new Error('npm start prints no decline command');
	const said = await runPrinted(printed, demo.packageRoot);
	expect(said).toMatch(/Declined: .* on Meta Ads EU/);
	expect(said).toContain(`sent to ${endpoint.url}`);

	const alert = await waitFor('the alert at the sink', () => sunk[0]);
	const decline = demo.emulator.state.transactions()[0];
	expect(decline).toMatchObject({ type: 'decline', card_id: DEMO_EXAMPLE_CARDS.decline });
	const card = demo.emulator.state
		.cards()
		.find((candidate) => candidate.id === DEMO_EXAMPLE_CARDS.decline);
	expect(alert).toContain('Meta Ads EU');
	expect(alert).toContain(card?.last4 ?? '?');
	expect(alert).toContain(decline.merchant.name);
	expect(alert).toContain(decline.amount.toFixed(2));
	expect(alert).toContain(String(decline.decline_reason));
	await n8n.ensureOwner({
		email: 'first-run@privcards.test',
		password: `First-${randomBytes(6).toString('hex')}-1A`,
	});
	let statuses: string[] = [];
	for (let attempt = 0; attempt < 40 && !statuses.includes('success'); attempt++) {
		statuses = (await n8n.executions(workflow.id)).map((execution) => execution.status);
		if (!statuses.includes('success')) await new Promise((resolve) => setTimeout(resolve, 250));
	}
	expect(statuses).toEqual(['success']);

	const threeDsEndpoint = await waitFor('the 3DS example to register its webhook', () =>
		demo?.emulator.state
			.webhooks()
			.find((registered) => registered.events.includes('3ds.challenge')),
	);
	await n8n.waitForWebhook(threeDsEndpoint.url);
	const threeDsCommand = simulateCommands(demo.emulator.baseUrl).threeDs;
	await runPrinted(threeDsCommand, demo.packageRoot);
	let threeDsStatuses: string[] = [];
	for (let attempt = 0; attempt < 40 && threeDsStatuses.length === 0; attempt++) {
		threeDsStatuses = (await n8n.executions(threeDs.id))
			.map((execution) => execution.status)
			.filter((status) => status !== 'running' && status !== 'new');
		if (threeDsStatuses.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
	}
	expect(threeDsStatuses).toEqual(['success']);
});
