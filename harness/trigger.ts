/**
 * Runs the PrivCards Trigger the way n8n does: n8n-core's real contexts, and the n8n server's part in small:
 * - activation and deactivation call the node's `webhookMethods.default` through n8n-core's real `HookContext`
 *   (checkExists, then create when it answers false; delete on deactivation), as n8n's WebhookService does;
 * - a real HTTP server on loopback receives the emulator's deliveries at the node's production webhook URL, keeps
 *   the raw body as n8n's body parser does (`req.rawBody`; JSON that does not parse is answered 422 before the
 *   node runs), and calls `webhook()` through n8n-core's real `WebhookContext`;
 * - static data lives as n8n's database holds it: every call loads a fresh `Workflow` from the stored copy and
 *   writes it back only when n8n would (its `__dataChanged` flag is set), as n8n's WorkflowStaticDataService
 *   does. A change the node makes without setting that flag is lost here as it is in n8n, and no state survives
 *   in process memory between calls, as in queue mode;
 * - "listen for test event" runs the same hooks for the test URL on a copy of the static data that is never
 *   saved, as n8n's TestWebhooks does; while it listens, the test URL is served too, in mode `manual` (the
 *   webhook context and the execution), and, as in n8n, the listener stops (its delete hook runs) once a
 *   delivery to it started an execution.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

import {
	DataDeduplicationService,
	ExecutionLifecycleHooks,
	HookContext,
	WebhookContext,
} from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	DeduplicationItemTypes,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	Logger,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { PrivCardsTrigger } from '../nodes/PrivCards/PrivCardsTrigger.node';
import { deriveSigningSecret, readEndpointState } from '../nodes/PrivCards/trigger';
import type { WebhookKind } from '../nodes/PrivCards/trigger';
import { additionalDataFor, nodeTypes, PACKAGE, runWorkflow } from './n8n';
import type { PrivCardsCredential } from './n8n';

const TRIGGER_NODE_TYPE = `${PACKAGE}.privCardsTrigger`;

const trigger = new PrivCardsTrigger();
nodeTypes.register(TRIGGER_NODE_TYPE, trigger);

/**
 * n8n's deduplication store (its ProcessedData table) in small: per workflow and node, the ids recorded in
 * `entries` mode, the oldest dropped beyond `maxEntries`. Shared by every harness, as the database is shared by
 * every n8n process.
 */
class ProcessedDataStore implements IDataDeduplicator {
	private readonly records = new Map<string, DeduplicationItemTypes[]>();

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: 'node' | 'workflow',
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<{ new: DeduplicationItemTypes[]; processed: DeduplicationItemTypes[] }> {
		const key = this.key(scope, contextData);
		const recorded = this.records.get(key) ?? [];
		const fresh = items.filter((item) => !recorded.includes(item));
		const kept = [...recorded, ...fresh];
		this.records.set(key, options.maxEntries ? kept.slice(-options.maxEntries) : kept);
		return { new: fresh, processed: items.filter((item) => recorded.includes(item)) };
	}

	async removeProcessed(): Promise<void> {
		throw new Error('not used by the trigger');
	}

	async clearAllProcessedItems(): Promise<void> {
		throw new Error('not used by the trigger');
	}

	async getProcessedDataCount(
		scope: 'node' | 'workflow',
		contextData: ICheckProcessedContextData,
	): Promise<number> {
		return this.records.get(this.key(scope, contextData))?.length ?? 0;
	}

	private key(scope: 'node' | 'workflow', contextData: ICheckProcessedContextData): string {
		return scope === 'node'
			? `${contextData.workflow.id}|${contextData.node?.id ?? ''}`
			: contextData.workflow.id;
	}
}

void DataDeduplicationService.init(new ProcessedDataStore());

const WEBHOOK_DESCRIPTION = trigger.description.webhooks?.[0];
if (WEBHOOK_DESCRIPTION === undefined) throw new Error('The PrivCards Trigger declares no webhook');
const WEBHOOK = WEBHOOK_DESCRIPTION;

/** What n8n answered one request to the webhook URL with, and what it started. */
export interface ReceivedRequest {
	/** Which URL it reached: the production URL, or the test URL while the editor listens. */
	kind: WebhookKind;
	rawBody: Buffer;
	headers: IncomingHttpHeaders;
	status: number;
	/**
	 * What the trigger passed on in the execution this request started (what the next node receives; empty when
	 * the trigger's step dropped the event); undefined when it started no execution.
	 */
	execution?: INodeExecutionData[];
	/** What `webhook()` threw, if it did (n8n answers 500). */
	error?: Error;
}

export interface TriggerHarnessOptions {
	credential: PrivCardsCredential;
	events: string[];
	/** The node's `options` collection. */
	options?: IDataObject;
	workflowId?: string;
}

export interface PostResult {
	status: number;
	body: string;
	/** What the harness recorded for this request. */
	received: ReceivedRequest;
}

async function createIfNotExists(context: HookContext): Promise<{ existed: boolean }> {
	const existed = await trigger.webhookMethods.default.checkExists.call(context);
	if (!existed) await trigger.webhookMethods.default.create.call(context);
	return { existed };
}

function jsonClone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function reply(response: ServerResponse, status: number, body: IDataObject): void {
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(body));
}

export class TriggerHarness {
	readonly node: INode;
	readonly workflowId: string;
	credential: PrivCardsCredential;
	/** The workflow's static data as n8n's database holds it between calls. */
	storedStaticData: IDataObject = {};
	/** How many times static data was written back. */
	staticDataSaves = 0;
	/** The static data n8n keeps with a test-webhook registration (never saved to the workflow). */
	testStaticData: IDataObject = {};
	/** Every request that reached the webhook URL, oldest first. */
	readonly received: ReceivedRequest[] = [];
	/** While above 0, requests are answered 503 without reaching the node (n8n is down), one fewer each time. */
	refuseNext = 0;
	/** Whether the workflow is active: n8n serves the production URL only then (404 otherwise). */
	active = false;
	/** Whether the editor listens for a test event: n8n serves the test URL only then (404 otherwise). */
	listening = false;
	/**
	 * The webhook base URL the process that receives deliveries believes it has, when it is not the one activation
	 * registered: a queue-mode webhook processor without WEBHOOK_URL builds `http://localhost:5678/webhook`.
	 */
	receiverWebhookBaseUrl: string | undefined;
	private readonly server: Server;
	private port = 0;
	/** Requests still being handled, including what n8n does after it answered (stopping a test listener). */
	private readonly handling = new Set<Promise<void>>();

	private constructor(options: TriggerHarnessOptions) {
		this.workflowId = options.workflowId ?? `wf-trigger-${randomUUID().slice(0, 8)}`;
		this.credential = options.credential;
		this.node = {
			id: randomUUID(),
			name: 'PrivCards Trigger',
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { events: options.events, options: (options.options ?? {}) as INodeParameters },
			credentials: { privCardsApi: { id: '1', name: 'PrivCards account' } },
		};
		this.server = createServer((request, response) => {
			const handled = this.handle(request, response).catch((error: unknown) => {
				if (!response.headersSent) reply(response, 500, { message: String(error) });
				else response.end();
			});
			this.handling.add(handled);
			void handled.finally(() => this.handling.delete(handled));
		});
	}

	static async start(options: TriggerHarnessOptions): Promise<TriggerHarness> {
		const harness = new TriggerHarness(options);
		await new Promise<void>((resolve, reject) => {
			harness.server.once('error', reject);
			harness.server.listen(0, '127.0.0.1', () => resolve());
		});
		harness.port = (harness.server.address() as AddressInfo).port;
		return harness;
	}

	get webhookBaseUrl(): string {
		return `http://127.0.0.1:${this.port}/webhook`;
	}

	get webhookTestBaseUrl(): string {
		return `http://127.0.0.1:${this.port}/webhook-test`;
	}

	/** The URL n8n gives this node while it listens for a test event. */
	get webhookTestUrl(): string {
		return `${this.webhookTestBaseUrl}/${this.node.webhookId}/${WEBHOOK.path as string}`;
	}

	/** The production URL n8n gives this node: `<base>/<webhookId>/<path>`. */
	get webhookUrl(): string {
		return `${this.webhookBaseUrl}/${this.node.webhookId}/${WEBHOOK.path as string}`;
	}

	/** Items of every execution the production URL started so far, one array per execution. */
	get executions(): INodeExecutionData[][] {
		return this.executionsOf('production');
	}

	/** Items of every execution the test URL started so far (manual executions), one array per execution. */
	get testExecutions(): INodeExecutionData[][] {
		return this.executionsOf('test');
	}

	/** The node's part of the stored static data. */
	get nodeStaticData(): IDataObject {
		return (this.storedStaticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}

	/** The endpoint ID the production registration recorded in the stored static data. */
	get recordedEndpointId(): string | undefined {
		return readEndpointState(this.nodeStaticData, 'production')?.endpointId;
	}

	/** The secret the production endpoint signs with, as every n8n process holding the credential derives it. */
	get signingSecret(): string {
		return this.signingSecretOf('production');
	}

	signingSecretOf(kind: WebhookKind, apiKey = this.credential.apiKey): string {
		return deriveSigningSecret(apiKey, {
			workflowId: this.workflowId,
			webhookId: this.node.webhookId as string,
			kind,
		});
	}

	setEvents(events: string[]): void {
		this.node.parameters = { ...this.node.parameters, events };
	}

	/** n8n's WebhookService.createWebhookIfNotExists: `checkExists`, then `create` when it answers false. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<{ existed: boolean }> {
		return await this.withWorkflow(async (workflow, additionalData) => {
			const context = this.hookContext(workflow, additionalData, 'trigger', activation, false);
			const outcome = await createIfNotExists(context);
			this.active = true;
			return outcome;
		});
	}

	/** n8n's WebhookService.deleteWebhook, as on deactivation. */
	async deactivate(): Promise<void> {
		await this.withWorkflow(async (workflow, additionalData) => {
			const context = this.hookContext(workflow, additionalData, 'internal', 'update', false);
			this.active = false;
			await trigger.webhookMethods.default.delete.call(context);
		});
	}

	/**
	 * Runs the execution a delivery starts (as n8n's webhook helper does: the trigger's items on the execution
	 * stack), and answers what the trigger passed on. On its own, it is what another n8n process does with a
	 * delivery its own webhook() accepted.
	 */
	async runExecution(
		items: INodeExecutionData[],
		kind: WebhookKind = 'production',
	): Promise<INodeExecutionData[]> {
		const { items: passed, error } = await runWorkflow([jsonClone(this.node)], {}, this.node.name, {
			credential: this.credential,
			input: items.map((item) => item.json),
			workflowId: this.workflowId,
			staticData: jsonClone(kind === 'test' ? this.testStaticData : this.storedStaticData),
			mode: kind === 'test' ? 'manual' : 'webhook',
		});
		if (error !== undefined) throw error;
		return passed;
	}

	/**
	 * "Listen for test event", as n8n's TestWebhooks does it: the hooks run for the test URL, on a copy of the
	 * stored static data that n8n keeps with the test registration and never saves. `saveStaticData` writes it back
	 * all the same (as a future n8n, or a race, might): the production registration's record must survive that.
	 */
	async listenForTestEvent(
		options: { saveStaticData?: boolean } = {},
	): Promise<{ existed: boolean }> {
		return await this.withWorkflow(
			async (workflow, additionalData) => {
				const context = this.hookContext(workflow, additionalData, 'manual', 'manual', true);
				const outcome = await createIfNotExists(context);
				this.testStaticData = jsonClone(workflow.staticData);
				this.listening = true;
				return outcome;
			},
			{ persist: options.saveStaticData === true },
		);
	}

	/**
	 * Stops listening for a test event. `staticData: 'stored'` is n8n's path when the registration holds no
	 * static data (creation failed half-way): the delete hook then sees the production state.
	 */
	async stopListening(staticData: 'registration' | 'stored' = 'registration'): Promise<void> {
		const source = staticData === 'registration' ? this.testStaticData : this.storedStaticData;
		await this.withWorkflow(
			async (workflow, additionalData) => {
				const context = this.hookContext(workflow, additionalData, 'internal', 'update', true);
				this.listening = false;
				await trigger.webhookMethods.default.delete.call(context);
				this.testStaticData = jsonClone(workflow.staticData);
			},
			{ persist: false, staticData: source },
		);
	}

	/** Sends a request to the webhook URL (or the test URL) as any HTTP client would, and waits for n8n's answer. */
	async post(
		rawBody: Buffer | string,
		headers: Record<string, string>,
		kind: WebhookKind = 'production',
	): Promise<PostResult> {
		const before = this.received.length;
		const response = await fetch(kind === 'test' ? this.webhookTestUrl : this.webhookUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...headers },
			body: rawBody,
		});
		const body = await response.text();
		const received = this.received[before];
		if (received === undefined) throw new Error('The request did not reach the webhook URL');
		return { status: response.status, body, received };
	}

	/** Re-sends a request exactly as it came: the same bytes and headers. */
	async resend(
		request: ReceivedRequest,
		changes: { rawBody?: Buffer; headers?: Record<string, string | undefined> } = {},
	): Promise<PostResult> {
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries({ ...request.headers, ...changes.headers })) {
			if (
				typeof value === 'string' &&
				!['host', 'content-length', 'connection'].includes(name.toLowerCase())
			) {
				headers[name] = value;
			}
		}
		return await this.post(changes.rawBody ?? request.rawBody, headers, request.kind);
	}

	/** The logger n8n gives the node's contexts (one for the whole process, as in n8n), for tests to watch. */
	async contextLogger(): Promise<Logger> {
		return await this.withWorkflow(
			async (workflow, additionalData) =>
				this.hookContext(workflow, additionalData, 'trigger', 'activate', false).logger,
			{ persist: false },
		);
	}

	/** Resolves once every request that reached the server is fully handled. */
	async idle(): Promise<void> {
		while (this.handling.size > 0) await Promise.all([...this.handling]);
	}

	async stop(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		await closed;
	}

	/**
	 * Loads the workflow with the stored static data (or the given copy), runs `task`, and saves the static data
	 * as n8n would: only when its change flag is set, and never for a test webhook.
	 */
	private async withWorkflow<T>(
		task: (workflow: Workflow, additionalData: IWorkflowExecuteAdditionalData) => Promise<T>,
		scope: { persist?: boolean; staticData?: IDataObject } = {},
	): Promise<T> {
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'PrivCards Trigger test',
			nodes: [jsonClone(this.node)],
			connections: {},
			active: true,
			nodeTypes,
			staticData: jsonClone(scope.staticData ?? this.storedStaticData),
		});
		const executionId = `trigger-${randomUUID()}`;
		const hooks = new ExecutionLifecycleHooks('trigger', executionId, {
			id: this.workflowId,
			name: workflow.name,
			nodes: [this.node],
			connections: {},
			active: true,
			isArchived: false,
			activeVersionId: null,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		const additionalData = additionalDataFor(this.credential, hooks, executionId);
		additionalData.webhookBaseUrl = this.webhookBaseUrl;
		additionalData.webhookTestBaseUrl = this.webhookTestBaseUrl;
		try {
			return await task(workflow, additionalData);
		} finally {
			if (scope.persist !== false && workflow.staticData.__dataChanged === true) {
				this.storedStaticData = jsonClone(workflow.staticData);
				this.staticDataSaves += 1;
				workflow.staticData.__dataChanged = false;
			}
		}
	}

	private executionsOf(kind: WebhookKind): INodeExecutionData[][] {
		return this.received.flatMap((request) =>
			request.kind !== kind || request.execution === undefined ? [] : [request.execution],
		);
	}

	private webhookData(
		additionalData: IWorkflowExecuteAdditionalData,
		isTest: boolean,
	): IWebhookData {
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${this.node.webhookId}/${WEBHOOK.path as string}`,
			webhookDescription: WEBHOOK,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest,
		};
	}

	private hookContext(
		workflow: Workflow,
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		isTest: boolean,
	): HookContext {
		const node = workflow.getNode(this.node.name) as INode;
		const webhookData = this.webhookData(additionalData, isTest);
		return new HookContext(workflow, node, additionalData, mode, activation, webhookData);
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const rawBody = await buffer(request);
		// n8n drops a trailing slash before it looks a webhook up.
		const path = new URL(request.url ?? '/', this.webhookBaseUrl).pathname.replace(/\/+$/, '');
		const kind: WebhookKind | undefined =
			path === new URL(this.webhookUrl).pathname
				? 'production'
				: path === new URL(this.webhookTestUrl).pathname
					? 'test'
					: undefined;
		if (request.method !== 'POST' || kind === undefined) {
			reply(response, 404, { message: 'The requested webhook is not registered' });
			return;
		}
		const received: ReceivedRequest = { kind, rawBody, headers: request.headers, status: 0 };
		this.received.push(received);
		if (!(kind === 'test' ? this.listening : this.active)) {
			reply(response, 404, { message: 'The requested webhook is not registered' });
			received.status = 404;
			return;
		}
		try {
			if (this.refuseNext > 0) {
				this.refuseNext -= 1;
				reply(response, 503, { message: 'n8n is unavailable' });
				return;
			}
			if (!this.parseBody(request, rawBody)) {
				reply(response, 422, { message: 'Failed to parse request body' });
				return;
			}
			await this.deliver(kind, request, response, received);
		} finally {
			received.status = response.statusCode;
		}
		// n8n's TestWebhooks removes the test webhook once a delivery to it started an execution.
		if (kind === 'test' && received.execution !== undefined) await this.stopListening();
	}

	/**
	 * Runs `webhook()` as n8n does for the URL the request reached: the production URL in mode `webhook` on the
	 * stored static data (saved as n8n saves it), the test URL in mode `manual` on the test registration's copy (never
	 * saved); then the execution it starts, in the same mode.
	 */
	private async deliver(
		kind: WebhookKind,
		request: IncomingMessage,
		response: ServerResponse,
		received: ReceivedRequest,
	): Promise<void> {
		const isTest = kind === 'test';
		await this.withWorkflow(
			async (workflow, additionalData) => {
				additionalData.httpRequest = request as never;
				additionalData.httpResponse = response as never;
				additionalData.webhookBaseUrl = this.receiverWebhookBaseUrl ?? this.webhookBaseUrl;
				const node = workflow.getNode(this.node.name) as INode;
				const context = new WebhookContext(
					workflow,
					node,
					additionalData,
					isTest ? 'manual' : 'webhook',
					this.webhookData(additionalData, isTest),
					[],
					null,
				);
				let result: IWebhookResponseData;
				try {
					result = await trigger.webhook.call(context);
				} catch (error) {
					received.error = error as Error;
					reply(response, 500, { message: 'Error in workflow' });
					return;
				}
				// n8n answers `onReceived` deliveries before the execution ends; the harness runs it first, so a test
				// sees what the execution passed on as soon as it has the answer.
				if (result.workflowData !== undefined) {
					received.execution = await this.runExecution(result.workflowData[0] ?? [], kind);
				}
				this.respond(result, received, response);
			},
			isTest ? { persist: false, staticData: this.testStaticData } : {},
		);
	}

	/** n8n's body parser: the raw bytes always kept; JSON parsed, and refused with 422 when it does not parse. */
	private parseBody(request: IncomingMessage, rawBody: Buffer): boolean {
		const target = request as IncomingMessage & { body?: unknown };
		request.rawBody = rawBody;
		target.body = {};
		const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (contentType !== 'application/json' || rawBody.length === 0) return true;
		try {
			target.body = JSON.parse(rawBody.toString('utf8'));
			return true;
		} catch {
			return false;
		}
	}

	/** n8n's handling of the node's answer, for the `onReceived` response mode the trigger declares. */
	private respond(
		result: IWebhookResponseData,
		received: ReceivedRequest,
		response: ServerResponse,
	): void {
		if (result.noWebhookResponse === true) {
			if (!response.writableEnded) {
				received.error = new Error('The node claimed to answer but left the response open');
				reply(response, 500, { message: received.error.message });
			}
			return;
		}
		if (result.workflowData === undefined) {
			reply(
				response,
				200,
				(result.webhookResponse as IDataObject | undefined) ?? { message: 'Webhook call received' },
			);
			return;
		}
		reply(response, 200, { message: 'Workflow was started' });
	}
}
