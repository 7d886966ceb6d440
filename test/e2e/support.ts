// What the real-n8n end-to-end suites share: the packed package, the emulator's API, the example workflows
// made ready to import (the e2e credential, Slack swapped for an HTTP Request to a local sink), the sink.

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { Client } from '../../emulator/client';
import type { startEmulator } from '../../emulator/emulator';
import { buildAndPackPackage, PACKAGE_NAME } from '../../real-n8n/package';
import type { Workflow, WorkflowNode } from '../../real-n8n/workflow';

const repoRoot = path.resolve(__dirname, '..', '..');
const ACTION = `${PACKAGE_NAME}.privCards`;
export const TRIGGER = `${PACKAGE_NAME}.privCardsTrigger`;
export const POLL_TRIGGER = `${PACKAGE_NAME}.privCardsPollTrigger`;
/** The header the sink's stand-in for Slack receives each message's event ID in (the rigs set it). */
export const EVENT_HEADER = 'x-privcards-e2e-event';
const CREDENTIAL = { id: 'PrivCardsE2e0001', name: 'PrivCards e2e' };

export type Json = Record<string, unknown>;
export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface Card {
	id: string;
	status: string;
	balance: number;
	label: string | null;
	last4: string;
}

export interface Endpoint {
	id: string;
	url: string;
	events: string[];
}

/** The e2e credential, pointing at `emulator`, as `N8nUserFolder.importCredentials` takes it. */
export function e2eCredential(emulator: Emulator): {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
} {
	return {
		...CREDENTIAL,
		type: 'privCardsApi',
		data: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
	};
}

/** `npm run build` and `npm pack` (one suite at a time) into a fresh folder; returns the tarball and the folder. */
export async function packForE2e(): Promise<{ tarball: string; packDir: string }> {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privcards-pack-'));
	return { tarball: await buildAndPackPackage(repoRoot, packDir), packDir };
}

/** A call to the emulator with its test key; anything but 2xx throws. */
export async function api<T = Json>(
	emulator: Emulator | undefined,
	method: string,
	pathPart: string,
	body?: unknown,
): Promise<T> {
	if (!emulator) throw new Error('emulator not started');
	const response = await new Client(emulator).request(method, pathPart, { body });
	if (response.status >= 300) {
		throw new Error(
			`${method} ${pathPart}: HTTP ${response.status} ${JSON.stringify(response.body)}`,
		);
	}
	return response.body as T;
}

/** Every page of an emulator list. */
export async function listAll<T>(emulator: Emulator | undefined, pathPart: string): Promise<T[]> {
	const out: T[] = [];
	for (let page = 1; ; page++) {
		const sep = pathPart.includes('?') ? '&' : '?';
		const res = await api<{ data: T[]; has_more?: boolean }>(
			emulator,
			'GET',
			`${pathPart}${sep}page=${page}&per_page=100`,
		);
		out.push(...res.data);
		if (res.has_more === false || res.data.length < 100 || page > 100) return out;
	}
}

/** Polls `probe` until it returns something; the error names `what` and adds `context()` (e.g. n8n's output). */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs = 30_000,
	context?: () => string,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await probe();
		if (v !== undefined) return v;
		if (Date.now() > deadline) {
			const more = context?.() ?? '';
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}${more ? `\n${more}` : ''}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** The examples/*.json workflow for which `match` is true (found by content, not by file name). */
function findExample(what: string, match: (wf: Workflow) => boolean): Workflow {
	const dir = path.join(repoRoot, 'examples');
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
	for (const f of files) {
		const wf = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Workflow;
		if (Array.isArray(wf.nodes) && match(wf)) return wf;
	}
	throw new Error(`no ${what} workflow in examples/ (looked at: ${files.join(', ') || 'nothing'})`);
}

/** A copy ready to import: a fixed id, inactive, every PrivCards node on the e2e credential. */
export function prepare(wf: Workflow, id: string): Workflow {
	const copy = JSON.parse(JSON.stringify(wf)) as Workflow;
	copy.id = id;
	copy.active = false;
	for (const node of copy.nodes) {
		if (node.type.startsWith(`${PACKAGE_NAME}.`)) {
			node.credentials = { ...(node.credentials ?? {}), privCardsApi: CREDENTIAL };
		}
	}
	return copy;
}

/**
 * The Slack node as users have it, swapped for an HTTP Request to the sink that sends the same text. `headers`
 * (name → n8n expression) are sent too, e.g. the event ID and the execution ID, so a test can tell which event
 * and which execution each message came from.
 */
export function slackToSink(
	wf: Workflow,
	sinkUrl: string,
	headers: Record<string, string> = {},
): void {
	const slack = wf.nodes.find((n) => n.type === 'n8n-nodes-base.slack');
	if (!slack) throw new Error(`${String(wf.name)} has no Slack node`);
	const p = slack.parameters;
	const text =
		typeof p.text === 'string' && p.text !== ''
			? p.text
			: typeof p.blocksUi === 'string'
				? p.blocksUi
				: undefined;
	const sendHeaders =
		Object.keys(headers).length === 0
			? {}
			: {
					sendHeaders: true,
					headerParameters: {
						parameters: Object.entries(headers).map(([name, value]) => ({ name, value })),
					},
				};
	Object.assign(slack, {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		credentials: undefined,
		disabled: false,
		parameters:
			text !== undefined
				? {
						method: 'POST',
						url: sinkUrl,
						...sendHeaders,
						sendBody: true,
						contentType: 'raw',
						rawContentType: 'text/plain',
						body: text,
						options: {},
					}
				: {
						method: 'POST',
						url: sinkUrl,
						...sendHeaders,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify($json) }}',
						options: {},
					},
	});
}

export function isOperation(node: WorkflowNode, resource: string, operation: string): boolean {
	return (
		node.type === ACTION &&
		node.parameters.resource === resource &&
		node.parameters.operation === operation
	);
}

function triggerEvents(node: WorkflowNode): string[] {
	const events = node.parameters.events;
	return Array.isArray(events) ? events.map(String) : typeof events === 'string' ? [events] : [];
}

/** The decline-alert example: a PrivCards Trigger on `transaction.declined`. */
export function declineAlertExample(): Workflow {
	return findExample('decline-alert', (wf) =>
		wf.nodes.some((n) => n.type === TRIGGER && triggerEvents(n).includes('transaction.declined')),
	);
}

/** The polling decline-alert example: a PrivCards Poll Trigger on `transaction.declined`. */
export function declinePollingExample(): Workflow {
	return findExample('polling decline-alert', (wf) =>
		wf.nodes.some(
			(n) => n.type === POLL_TRIGGER && triggerEvents(n).includes('transaction.declined'),
		),
	);
}

/** The 3DS example: a PrivCards Trigger on `3ds.challenge`. */
export function threeDsExample(): Workflow {
	return findExample('3DS code forward', (wf) =>
		wf.nodes.some((n) => n.type === TRIGGER && triggerEvents(n).includes('3ds.challenge')),
	);
}

/** The auto-fund example: a schedule that tops cards up. */
export function autoFundExample(): Workflow {
	return findExample('auto-fund', (wf) => wf.nodes.some((n) => isOperation(n, 'funding', 'topUp')));
}

interface Sunk {
	headers: http.IncomingHttpHeaders;
	body: string;
	at: number;
}

/** A local HTTP receiver standing in for Slack: it keeps every request and answers 200. */
export interface Sink {
	readonly url: string;
	readonly received: Sunk[];
	close(): Promise<void>;
}

export async function startSink(pathPart = '/slack'): Promise<Sink> {
	const received: Sunk[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
			});
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	return {
		url: `http://127.0.0.1:${port}${pathPart}`,
		received,
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			}),
	};
}
