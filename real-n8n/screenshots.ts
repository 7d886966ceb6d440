/**
 * `npm run screenshots`: the editor as a user sees it, in headless Chromium, against what `npm start` sets up (the
 * demo account, the examples). Writes PNGs to `.build/screenshots/`:
 *   node-panel.png          the auto-fund example's Top Up node, open: its notice and Target Balance
 *   operation-dropdown.png  its Operation dropdown, open
 *   auto-fund-run.png       the auto-fund example after Execute workflow: Top Up's panel, its compact output items
 *   top-up-options.png      Top Up's Options, "Add option" open: Max Amount, no Idempotency Key
 *   fund-options.png        a Fund node's Options: Idempotency Key (its e.g. placeholder), Concurrency, Rate Limit
 *                           Wait, Max Amount
 *   card-picker.png         a PrivCards node's card picker, its list open (the demo cards, frozen and terminated marked)
 *   decline-canvas.png      the decline example's canvas: the trigger's subtitle names its event
 *   trigger-events.png      the decline example's trigger, its Events dropdown open
 *   decline-waiting.png     the decline example after Execute workflow, waiting for an event
 *   decline-run.png         the same after a simulated decline: green up to "Alert message", Slack switched off
 *   polling-run.png         the polling decline example after Execute workflow (it fetches the newest decline)
 *   three-ds-run.png        the 3DS example after Execute workflow and a simulated 3DS challenge
 *   transaction-picker.png  a PrivCards node's transaction picker (From List), its list open
 *   mcp-canvas.png          the MCP example's canvas: the MCP Server Trigger and its tools, by name
 *   tool-output.png         the MCP example's Get card tool, its Output switch open
 *   node-creator.png        the nodes panel searched for "PrivCards": the trigger's events as actions
 *   failure.png             only when a step fails: the page at that moment
 * It exits 1 when an example's first run does not end in success.
 * Needs Debian's `chromium` (`apt-get install -y chromium`), or CHROMIUM_PATH pointing at a Chromium.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import puppeteer, { type Browser } from 'puppeteer-core';

import { DEMO_EXAMPLE_CARDS } from '../emulator/demo-data';
import { simulate3ds, simulateDecline } from '../emulator/simulate';
import { DEFAULT_CONCURRENCY } from '../nodes/PrivCards/actions/common/fields';
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS } from '../nodes/PrivCards/transport/request';
import { DEMO_CREDENTIAL, prepareDemoInstance, type DemoInstance } from './demo-instance';
import { PACKAGE_NAME } from './package';
import type { RunningN8n } from './running';
import { EditorPage, waitUntil } from './screenshot-page';

/** A throw-away owner of the throw-away n8n; a fresh password each run. */
const OWNER = {
	email: 'screenshots@privcards.test',
	password: `Shots-${randomBytes(6).toString('hex')}-1A`,
};
const PANELS_WORKFLOW_ID = 'pcxScreenshots01';
const PANEL_NODES = {
	card: 'a1b2c3d4-0000-4000-8000-000000000001',
	fund: 'a1b2c3d4-0000-4000-8000-000000000002',
	transaction: 'a1b2c3d4-0000-4000-8000-000000000003',
};

type Node = { id: string; name: string; type: string; parameters: Record<string, unknown> };
type Workflow = { id: string; name: string; nodes: Node[] };

function chromiumPath(): string {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	const found = candidates.find((candidate) => candidate !== undefined && fs.existsSync(candidate));
	if (found === undefined) {
		throw new Error('No Chromium found: apt-get install -y chromium, or set CHROMIUM_PATH');
	}
	return found;
}

/** PrivCards nodes as a user adding them gets them: pickers in list mode, Fund's Options all added. */
function panelsWorkflow(): Record<string, unknown> {
	const node = (id: string, name: string, x: number, parameters: Record<string, unknown>) => ({
		id,
		name,
		type: `${PACKAGE_NAME}.privCards`,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { privCardsApi: DEMO_CREDENTIAL },
	});
	const fromList = { __rl: true, mode: 'list', value: '' };
	return {
		id: PANELS_WORKFLOW_ID,
		name: 'Screenshots: panels',
		active: false,
		nodes: [
			node(PANEL_NODES.card, 'Get a card', 0, {
				resource: 'card',
				operation: 'get',
				cardId: fromList,
			}),
			node(PANEL_NODES.fund, 'Fund a card', 300, {
				resource: 'funding',
				operation: 'fund',
				cardId: fromList,
				amount: 25,
				options: {
					idempotencyKey: '',
					concurrency: DEFAULT_CONCURRENCY,
					rateLimitWait: DEFAULT_RATE_LIMIT_WAIT_SECONDS,
					maxAmount: 500,
				},
			}),
			node(PANEL_NODES.transaction, 'Get a transaction', 600, {
				resource: 'transaction',
				operation: 'get',
				transactionId: fromList,
			}),
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

const events = (node: Node) => ([] as unknown[]).concat(node.parameters.events);

/** The examples the shots need, found by what they do rather than by file name. */
function findExamples(demo: DemoInstance) {
	const workflows = demo.examples.map((entry) => entry.workflow as unknown as Workflow);
	const find = (what: string, test: (node: Node) => boolean) => {
		const workflow = workflows.find((candidate) => candidate.nodes.some(test));
		if (workflow === undefined) throw new Error(`no example has ${what}`);
		return { workflow, node: workflow.nodes.find(test) as Node };
	};
	return {
		autoFund: find('a Top Up', (node) => node.parameters.operation === 'topUp'),
		decline: find(
			'a decline trigger',
			(node) =>
				node.type === `${PACKAGE_NAME}.privCardsTrigger` &&
				events(node).includes('transaction.declined'),
		),
		polling: find('a poll trigger', (node) => node.type === `${PACKAGE_NAME}.privCardsPollTrigger`),
		threeDs: find(
			'a 3DS trigger',
			(node) =>
				node.type === `${PACKAGE_NAME}.privCardsTrigger` && events(node).includes('3ds.challenge'),
		),
		mcp: find(
			'a Get card tool',
			(node) =>
				node.type === `${PACKAGE_NAME}.privCardsTool` &&
				node.parameters.resource === 'card' &&
				node.parameters.operation === 'get',
		),
	};
}

/** Execute workflow on a trigger example, then the simulated event once its test webhook is registered. */
async function runOnEvent(
	editor: EditorPage,
	demo: DemoInstance,
	workflowId: string,
	event: string,
	simulate: () => Promise<{ lines: string[] }>,
): Promise<string> {
	await editor.openWorkflow(workflowId);
	await editor.click('execute-workflow-button');
	const listening = await waitUntil(() =>
		demo.emulator.state
			.webhooks()
			.some(
				(endpoint) => endpoint.url.includes('/webhook-test/') && endpoint.events.includes(event),
			),
	);
	if (!listening) return `no test webhook for ${event}: nothing simulated`;
	console.log((await simulate()).lines.join('\n'));
	return (await editor.finishedRun(workflowId)) ?? 'no finished run';
}

async function takeScreenshots(editor: EditorPage, demo: DemoInstance): Promise<void> {
	const { autoFund, decline, polling, threeDs, mcp } = findExamples(demo);
	// An example whose first run does not end green fails the command (after its shot, to look at).
	const report = (what: string, status: string) => {
		console.log(`${what}: ${status}`);
		if (status !== 'success') process.exitCode = 1;
	};

	await editor.openNode(autoFund.workflow.id, autoFund.node.id);
	await editor.shot('node-panel.png');
	await editor.clickParameter('operation');
	await editor.shot('operation-dropdown.png');

	await editor.openWorkflow(autoFund.workflow.id);
	await editor.click('execute-workflow-button');
	report('auto-fund run', (await editor.finishedRun(autoFund.workflow.id)) ?? 'no finished run');
	await editor.openNodeOnCanvas(autoFund.node.id);
	await editor.shot('auto-fund-run.png');
	await editor.openAddOption();
	await editor.shot('top-up-options.png');

	await editor.openNode(PANELS_WORKFLOW_ID, PANEL_NODES.fund);
	await editor.shot('fund-options.png');
	await editor.openNode(PANELS_WORKFLOW_ID, PANEL_NODES.card);
	await editor.openPicker();
	await editor.shot('card-picker.png');

	await editor.openWorkflow(decline.workflow.id);
	await editor.shot('decline-canvas.png');
	await editor.openNodeOnCanvas(decline.node.id);
	await editor.clickParameter('events');
	// The list opens scrolled to the chosen event: show it from the top (All Events, then A to Z).
	await editor.scrollListsToTop();
	await editor.shot('trigger-events.png');

	report(
		'decline run',
		await runOnEvent(editor, demo, decline.workflow.id, 'transaction.declined', async () => {
			await editor.shot('decline-waiting.png');
			return await simulateDecline(demo.emulator, { cardId: DEMO_EXAMPLE_CARDS.decline });
		}),
	);
	await editor.shot('decline-run.png');

	// The poll trigger run by hand fetches the newest decline: the one simulated above.
	await editor.openWorkflow(polling.workflow.id);
	await editor.click('execute-workflow-button');
	report('polling run', (await editor.finishedRun(polling.workflow.id)) ?? 'no finished run');
	await editor.shot('polling-run.png');

	report(
		'3DS run',
		await runOnEvent(editor, demo, threeDs.workflow.id, '3ds.challenge', async () =>
			simulate3ds(demo.emulator, { cardId: DEMO_EXAMPLE_CARDS.threeDs }),
		),
	);
	await editor.shot('three-ds-run.png');

	await editor.openNode(PANELS_WORKFLOW_ID, PANEL_NODES.transaction);
	await editor.openPicker();
	await editor.shot('transaction-picker.png');

	await editor.openWorkflow(mcp.workflow.id);
	await editor.shot('mcp-canvas.png');
	await editor.openNode(mcp.workflow.id, mcp.node.id);
	await editor.clickParameter('output');
	await editor.shot('tool-output.png');

	await nodeCreator(editor);
}

/** The nodes panel, searched: the trigger's events become its actions ("On Transaction Declined"). */
async function nodeCreator(editor: EditorPage): Promise<void> {
	await editor.openWorkflow(PANELS_WORKFLOW_ID);
	await editor.click('node-creator-plus-button');
	await editor.type('node-creator-search-bar', 'PrivCards');
	// A workflow without a trigger opens on triggers, where n8n lists the trigger as "PrivCards": open its actions.
	await editor.click('node-creator-item-name');
	await editor.settle(1200);
	await editor.shot('node-creator.png');
}

async function main(): Promise<void> {
	const demo = await prepareDemoInstance({
		prefix: 'privcards-screenshots-',
		log: (line) => console.log(line.trimStart()),
	});
	let n8n: RunningN8n | undefined;
	let browser: Browser | undefined;
	try {
		await demo.folder.importWorkflows([
			...demo.examples.map((entry) => entry.workflow),
			panelsWorkflow(),
		]);
		console.log('starting n8n…');
		n8n = await demo.folder.start();
		await n8n.ensureOwner(OWNER);
		browser = await puppeteer.launch({
			executablePath: chromiumPath(),
			headless: true,
			args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
		});
		const dir = path.join(demo.packageRoot, '.build', 'screenshots');
		fs.mkdirSync(dir, { recursive: true });
		fs.rmSync(path.join(dir, 'failure.png'), { force: true });
		const page = await browser.newPage();
		await page.setViewport({ width: 1440, height: 900 });
		const editor = new EditorPage(page, n8n, dir);
		await editor.signIn(OWNER);
		try {
			await takeScreenshots(editor, demo);
		} catch (error) {
			await editor.shot('failure.png');
			throw error;
		} finally {
			console.log(`Screenshots (demo cards such as ${DEMO_EXAMPLE_CARDS.decline}):`);
			for (const file of editor.taken) console.log(`  ${file}`);
		}
	} finally {
		await browser?.close();
		await n8n?.stop();
		await demo.dispose({ keepFolder: process.env.PRIVCARDS_KEEP !== undefined });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exitCode = 1;
});
