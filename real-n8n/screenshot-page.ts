/**
 * What `npm run screenshots` does in the editor page: sign in, open a workflow or a node panel, press a button, open a
 * dropdown, wait for a run, take a named shot. Selectors are n8n 2.41's `data-test-id`s and Vue Flow's node ids.
 */
import * as path from 'node:path';

import type { Page } from 'puppeteer-core';

import type { RunningN8n } from './running';

export class EditorPage {
	readonly taken: string[] = [];

	constructor(
		private readonly page: Page,
		private readonly n8n: RunningN8n,
		private readonly dir: string,
	) {}

	async signIn(owner: { email: string; password: string }): Promise<void> {
		await this.page.goto(`${this.n8n.baseUrl}/signin`, { waitUntil: 'networkidle2' });
		await this.page.waitForSelector('input[name="emailOrLdapLoginId"]');
		await this.page.type('input[name="emailOrLdapLoginId"]', owner.email);
		await this.page.type('input[name="password"]', owner.password);
		await this.page.keyboard.press('Enter');
		await this.page.waitForFunction('!location.pathname.startsWith("/signin")', {
			timeout: 30_000,
		});
	}

	/** A workflow's canvas, every node drawn. */
	async openWorkflow(workflowId: string): Promise<void> {
		await this.page.goto(`${this.n8n.baseUrl}/workflow/${workflowId}`, {
			waitUntil: 'networkidle2',
		});
		await this.page.waitForSelector('.vue-flow__node', { timeout: 30_000 });
		await this.settle(1200);
	}

	/** A node's panel straight from the URL n8n gives it (`/workflow/<id>/<node id>`). */
	async openNode(workflowId: string, nodeId: string): Promise<void> {
		await this.page.goto(`${this.n8n.baseUrl}/workflow/${workflowId}/${nodeId}`, {
			waitUntil: 'networkidle2',
		});
		await this.waitForPanel();
	}

	/** A node's panel opened from the canvas, as a double click does: keeps the run shown on the canvas. */
	async openNodeOnCanvas(nodeId: string): Promise<void> {
		const node = await this.page.waitForSelector(`.vue-flow__node[data-id="${nodeId}"]`, {
			timeout: 15_000,
		});
		await node?.click({ count: 2 });
		await this.waitForPanel();
	}

	async closePanel(): Promise<void> {
		await this.page.keyboard.press('Escape');
		await this.settle(500);
	}

	async click(testId: string): Promise<void> {
		const target = await this.page.waitForSelector(`[data-test-id="${testId}"]`, {
			timeout: 30_000,
		});
		await target?.click();
		await this.settle();
	}

	/** Types into a field or into the input inside it. */
	async type(testId: string, text: string): Promise<void> {
		const field = await this.page.waitForSelector(`[data-test-id="${testId}"]`, {
			timeout: 15_000,
		});
		const input = (await field?.$('input')) ?? field;
		await input?.type(text);
		await this.settle(1200);
	}

	async clickParameter(name: string): Promise<void> {
		const field = await this.page.waitForSelector(`[data-test-id="parameter-input-${name}"]`, {
			timeout: 15_000,
		});
		await field?.evaluate((element) => element.scrollIntoView({ block: 'center' }));
		await field?.click();
		await this.settle();
	}

	/** The Options collection's "Add option" list, open. */
	async openAddOption(): Promise<void> {
		const add = await this.page.waitForSelector(
			'[data-test-id="collection-parameter-add-dropdown"], [data-test-id="collection-parameter-add"]',
			{ timeout: 15_000 },
		);
		await add?.evaluate((element) => element.scrollIntoView({ block: 'center' }));
		await add?.click();
		await this.settle();
	}

	/** Scrolls the open dropdown lists to their first entry. */
	async scrollListsToTop(): Promise<void> {
		await this.page.evaluate(
			'document.querySelectorAll(".el-select-dropdown .el-scrollbar__wrap").forEach((list) => { list.scrollTop = 0; })',
		);
		await this.settle(300);
	}

	/** Opens a resource locator's list and waits for its entries. */
	async openPicker(): Promise<void> {
		const picker = await this.page.waitForSelector('[data-test-id="rlc-input"]', {
			timeout: 15_000,
		});
		await picker?.click();
		await this.page.waitForSelector('[data-test-id="rlc-item"]', { timeout: 30_000 });
		await this.settle();
	}

	/** Waits until n8n has stored a finished run of the workflow (manual runs are saved); its status, or undefined. */
	async finishedRun(workflowId: string, timeoutMs = 30_000): Promise<string | undefined> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const finished = (await this.n8n.executions(workflowId)).find(
				(execution) => !['new', 'running', 'waiting'].includes(execution.status),
			);
			if (finished !== undefined) {
				await this.settle(1500);
				return finished.status;
			}
			await this.settle(500);
		}
		return undefined;
	}

	async shot(file: string): Promise<void> {
		const target = path.join(this.dir, file);
		await this.page.screenshot({ path: target });
		this.taken.push(target);
	}

	async settle(ms = 800): Promise<void> {
		await new Promise((resolve) => setTimeout(resolve, ms));
		await this.page.evaluate(
			'new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))',
		);
	}

	private async waitForPanel(): Promise<void> {
		await this.page.waitForSelector(
			'[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]',
			{ timeout: 30_000 },
		);
		await this.settle();
	}
}

/** Polls until the probe holds; false on time-out. */
export async function waitUntil(probe: () => boolean, timeoutMs = 30_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return true;
}
