/**
 * `npm run screenshots`: the editor as a user sees it, in headless Chromium, against what `npm start` sets up (the
 * demo account, the examples). Writes PNGs to `.build/screenshots/`:
 *   node-panel.png          the Top Up node of the auto-fund example, open
 *   operation-dropdown.png  its Operation dropdown, open
 *   trigger-events.png      the decline example's trigger, its Events dropdown open
 *   card-picker.png         a PrivCards node's card picker, its list open (the demo cards)
 *   node-creator.png        the nodes panel searched for "PrivCards": the trigger's events as actions
 *   decline-waiting.png     the decline example after Execute workflow, waiting for an event
 *   decline-run.png         the same after a simulated decline
 * Needs Debian's `chromium` (`apt-get install -y chromium`), or CHROMIUM_PATH pointing at a Chromium.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import { DEMO_EXAMPLE_CARDS } from '../emulator/demo-data';
import { simulateDecline } from '../emulator/simulate';
import { DEMO_CREDENTIAL, prepareDemoInstance, type DemoInstance } from './demo-instance';
import { PACKAGE_NAME } from './package';
import type { RunningN8n } from './running';

/** A throw-away owner of the throw-away n8n; a fresh password each run. */
const OWNER = {
	email: 'screenshots@privcards.test',
	password: `Shots-${randomBytes(6).toString('hex')}-1A`,
};
const PICKER_WORKFLOW_ID = 'pcxScreenshots01';

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

/** A workflow whose PrivCards node has the card picker in list mode, as a user adding the node gets it. */
function pickerWorkflow(): Record<string, unknown> {
	return {
		id: PICKER_WORKFLOW_ID,
		name: 'Screenshots: card picker',
		active: false,
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000001',
				name: 'Get a card',
				type: `${PACKAGE_NAME}.privCards`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					resource: 'card',
					operation: 'get',
					cardId: { __rl: true, mode: 'list', value: '' },
				},
				credentials: { privCardsApi: DEMO_CREDENTIAL },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

async function signIn(page: Page, n8n: RunningN8n): Promise<void> {
	await page.goto(`${n8n.baseUrl}/signin`, { waitUntil: 'networkidle2' });
	await page.waitForSelector('input[name="emailOrLdapLoginId"]');
	await page.type('input[name="emailOrLdapLoginId"]', OWNER.email);
	await page.type('input[name="password"]', OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForFunction('!location.pathname.startsWith("/signin")', { timeout: 30_000 });
}

/** Opens a node's panel straight from the URL n8n gives it (`/workflow/<id>/<node id>`). */
async function openNode(
	page: Page,
	n8n: RunningN8n,
	workflowId: string,
	nodeId: string,
): Promise<void> {
	await page.goto(`${n8n.baseUrl}/workflow/${workflowId}/${nodeId}`, { waitUntil: 'networkidle2' });
	await page.waitForSelector(
		'[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]',
		{
			timeout: 30_000,
		},
	);
	await settle(page);
}

async function settle(page: Page, ms = 800): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
	await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))');
}

async function clickParameter(page: Page, name: string): Promise<void> {
	const field = await page.waitForSelector(`[data-test-id="parameter-input-${name}"]`, {
		timeout: 15_000,
	});
	await field?.click();
	await settle(page);
}

async function waitUntil(probe: () => boolean, timeoutMs = 30_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return true;
}

async function shot(page: Page, dir: string, file: string, taken: string[]): Promise<void> {
	const target = path.join(dir, file);
	await page.screenshot({ path: target });
	taken.push(target);
}

async function takeScreenshots(browser: Browser, demo: DemoInstance, n8n: RunningN8n, dir: string) {
	const taken: string[] = [];
	const page = await browser.newPage();
	await page.setViewport({ width: 1440, height: 900 });
	await signIn(page, n8n);

	const workflows = demo.examples.map((entry) => entry.workflow as unknown as Workflow);
	const autoFund = workflows.find((workflow) =>
		workflow.nodes.some((node) => node.parameters.operation === 'topUp'),
	);
	const decline = workflows.find((workflow) =>
		workflow.nodes.some(
			(node) =>
				node.type.endsWith('.privCardsTrigger') &&
				([] as unknown[]).concat(node.parameters.events).includes('transaction.declined'),
		),
	);
	if (autoFund === undefined || decline === undefined) throw new Error('the examples are missing');
	const topUp = autoFund.nodes.find((node) => node.parameters.operation === 'topUp') as Node;
	const trigger = decline.nodes.find((node) => node.type.endsWith('.privCardsTrigger')) as Node;

	await openNode(page, n8n, autoFund.id, topUp.id);
	await shot(page, dir, 'node-panel.png', taken);
	await clickParameter(page, 'operation');
	await shot(page, dir, 'operation-dropdown.png', taken);

	await openNode(page, n8n, decline.id, trigger.id);
	await clickParameter(page, 'events');
	// The list opens scrolled to the chosen event: show it from the top (All Events, then A to Z).
	await page.evaluate(
		'document.querySelectorAll(".el-select-dropdown .el-scrollbar__wrap").forEach((list) => { list.scrollTop = 0; })',
	);
	await settle(page, 300);
	await shot(page, dir, 'trigger-events.png', taken);

	await openNode(page, n8n, PICKER_WORKFLOW_ID, 'a1b2c3d4-0000-4000-8000-000000000001');
	const picker = await page.waitForSelector('[data-test-id="rlc-input"]', { timeout: 15_000 });
	await picker?.click();
	await page.waitForSelector('[data-test-id="rlc-item"]', { timeout: 30_000 });
	await settle(page);
	await shot(page, dir, 'card-picker.png', taken);

	// The nodes panel, searched: the trigger's events become its actions ("On Transaction Declined").
	await page.goto(`${n8n.baseUrl}/workflow/${PICKER_WORKFLOW_ID}`, { waitUntil: 'networkidle2' });
	const plus = await page.waitForSelector('[data-test-id="node-creator-plus-button"]', {
		timeout: 30_000,
	});
	await plus?.click();
	const bar = await page.waitForSelector('[data-test-id="node-creator-search-bar"]', {
		timeout: 15_000,
	});
	const input = (await bar?.$('input')) ?? bar;
	await input?.type('PrivCards');
	await settle(page, 1200);
	// A workflow without a trigger opens on triggers, where n8n lists the trigger as "PrivCards": open its actions.
	const item = await page.waitForSelector('[data-test-id="node-creator-item-name"]', {
		timeout: 15_000,
	});
	await item?.click();
	await settle(page, 1200);
	await shot(page, dir, 'node-creator.png', taken);

	// The decline example as the printed instructions have it: Execute workflow, then a simulated decline.
	await page.goto(`${n8n.baseUrl}/workflow/${decline.id}`, { waitUntil: 'networkidle2' });
	const run = await page.waitForSelector('[data-test-id="execute-workflow-button"]', {
		timeout: 30_000,
	});
	await run?.click();
	await settle(page, 1500);
	await shot(page, dir, 'decline-waiting.png', taken);
	const listening = await waitUntil(() =>
		demo.emulator.state.webhooks().some((endpoint) => endpoint.url.includes('/webhook-test/')),
	);
	if (listening) {
		const result = await simulateDecline(demo.emulator, { cardId: DEMO_EXAMPLE_CARDS.decline });
		console.log(result.lines.join('\n'));
		await settle(page, 5000);
	} else {
		console.log('the decline example registered no test webhook: nothing simulated');
	}
	await shot(page, dir, 'decline-run.png', taken);
	await page.close();
	return taken;
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
			pickerWorkflow(),
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
		const taken = await takeScreenshots(browser, demo, n8n, dir);
		console.log(`Screenshots (demo cards such as ${DEMO_EXAMPLE_CARDS.decline}):`);
		for (const file of taken) console.log(`  ${file}`);
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
