import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { randomBytes } from 'node:crypto';

import {
	ALL_EVENTS,
	EVENT_TYPE_OPTIONS,
	HEADERS,
	isChosen,
	normalizeEvents,
	sameEvents,
	unknownEvents,
	WEBHOOK_SECRET_PREFIX,
} from './contract';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from './contract';
import { apiList, apiRequest } from './transport';
import {
	clearState,
	DEFAULT_TOLERANCE_MINUTES,
	parseEvent,
	parseEventTime,
	readEndpointState,
	readSeenEvents,
	rememberEvent,
	replayVerdict,
	verifySignature,
	writeEndpointState,
	writeSeenEvents,
} from './trigger';

const WEBHOOK_NAME = 'default';
/** Bytes of randomness in the signing secret the trigger registers. */
const SECRET_BYTES = 32;

type TriggerContext = IHookFunctions | IWebhookFunctions;

function webhookUrl(context: TriggerContext): string {
	const url = context.getNodeWebhookUrl(WEBHOOK_NAME);
	if (url === undefined || url === '') {
		throw new NodeOperationError(
			context.getNode(),
			'n8n did not provide a webhook URL for this trigger',
		);
	}
	return url;
}

/** The node's `events` as chosen; unknown values are refused before any request. */
function chosenEvents(context: TriggerContext): string[] {
	const value = context.getNodeParameter('events', []) as unknown;
	const selection = Array.isArray(value)
		? value.filter((event): event is string => typeof event === 'string')
		: [];
	const unknown = unknownEvents(selection);
	if (unknown.length > 0) {
		throw new NodeOperationError(context.getNode(), `Unknown event type: ${unknown.join(', ')}`, {
			description: `Choose from the documented event types, or "${ALL_EVENTS}" for all.`,
		});
	}
	return selection;
}

/** The endpoints registered for this trigger's URL (the URL embeds the node's own webhook id). */
async function endpointsAt(context: IHookFunctions, url: string): Promise<WebhookEndpoint[]> {
	const endpoints = await apiList<WebhookEndpoint>(
		context,
		{ route: 'listWebhooks' },
		{ returnAll: true },
	);
	return endpoints.filter((endpoint) => endpoint.url === url);
}

function isNotFound(error: unknown): boolean {
	return (error as { httpCode?: unknown } | null)?.httpCode === '404';
}

/** Deletes an endpoint; one that is already gone (404) is fine, every other failure is thrown. */
async function deleteEndpoint(context: IHookFunctions, endpointId: string): Promise<void> {
	// The transport's errors are already NodeApiError / NodeOperationError: passed on as they are, not wrapped.
	const failure: unknown = await apiRequest(context, {
		route: 'deleteWebhook',
		pathParameters: { webhookId: endpointId },
	}).then(
		() => undefined,
		(error: unknown) =>
			error ?? new NodeOperationError(context.getNode(), 'Deleting the webhook failed'),
	);
	if (failure === undefined) return;
	if (!isNotFound(failure)) throw failure;
	context.logger.debug('PrivCards webhook endpoint was already deleted', { endpointId });
}

function toleranceSeconds(context: IWebhookFunctions): number {
	const minutes = context.getNodeParameter(
		'options.toleranceMinutes',
		DEFAULT_TOLERANCE_MINUTES,
	) as unknown;
	const value =
		typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0
			? minutes
			: DEFAULT_TOLERANCE_MINUTES;
	return Math.round(value * 60);
}

function headerValue(context: IWebhookFunctions, name: string): string | undefined {
	const value = context.getHeaderData()[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

/** The exact body bytes n8n received, or undefined when n8n kept none. */
function rawBodyOf(context: IWebhookFunctions): Buffer | undefined {
	const { rawBody } = context.getRequestObject() as unknown as { rawBody?: unknown };
	return Buffer.isBuffer(rawBody) ? rawBody : undefined;
}

/**
 * Answers the delivery here and starts no execution. Written with Node's own response methods, which n8n's
 * Express response has too.
 */
function answer(
	context: IWebhookFunctions,
	statusCode: number,
	body: IDataObject,
): IWebhookResponseData {
	const response = context.getResponseObject() as unknown as {
		writeHead(statusCode: number, headers: Record<string, string>): unknown;
		end(body: string): unknown;
	};
	response.writeHead(statusCode, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

export class PrivCardsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PrivCards Trigger',
		name: 'privCardsTrigger',
		icon: { light: 'file:../../icons/privcards.svg', dark: 'file:../../icons/privcards.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when PrivCards sends an event: a declined or authorized transaction, a 3DS code, a deposit, a card change',
		defaults: { name: 'PrivCards Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'privCardsApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"PrivCards must reach this n8n at its webhook URL. The PrivCards API delivers to HTTPS URLs only, so activation needs n8n's WEBHOOK_URL set to a public HTTPS address; an emulator on this machine also delivers to plain http on localhost.",
				name: 'httpsNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description: 'The events that start the workflow',
				options: [
					{
						name: 'All Events',
						value: ALL_EVENTS,
						description: 'Every event type, including types PrivCards adds later',
					},
					...EVENT_TYPE_OPTIONS,
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Output Only Event Data',
						name: 'outputDataOnly',
						type: 'boolean',
						default: false,
						description:
							"Whether to output only the event's data (the card, transaction, 3DS challenge or deposit) instead of the whole event with its ID, type and time",
					},
					{
						displayName: 'Timestamp Tolerance (Minutes)',
						name: 'toleranceMinutes',
						type: 'number',
						default: DEFAULT_TOLERANCE_MINUTES,
						typeOptions: { minValue: 1 },
						description:
							"Deliveries whose event is older (or further in the future) than this are acknowledged and dropped as replays. Keep it longer than PrivCards' retry schedule (about 2.6 hours), or an event retried after n8n was unreachable is lost.",
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			/**
			 * True only when the endpoint this node registered is still there, for this URL, with the chosen
			 * events. Any other endpoint at this URL (a changed event set, or one whose secret is unknown here)
			 * is deleted, so that n8n's following `create` leaves exactly one. An endpoint kept for another URL
			 * is never touched: it is the production endpoint while n8n listens for a test event (or one left at
			 * n8n's previous public URL).
			 */
			checkExists: async function (this: IHookFunctions): Promise<boolean> {
				const url = webhookUrl(this);
				const wanted = normalizeEvents(chosenEvents(this));
				const staticData = this.getWorkflowStaticData('node');
				const state = readEndpointState(staticData);
				const endpoints = await endpointsAt(this, url);
				const current = endpoints.find(
					(endpoint) =>
						state !== undefined &&
						endpoint.id === state.endpointId &&
						state.url === url &&
						Array.isArray(endpoint.events) &&
						sameEvents(endpoint.events, wanted),
				);
				for (const endpoint of endpoints) {
					if (endpoint !== current) await deleteEndpoint(this, endpoint.id);
				}
				if (current !== undefined) return true;
				if (state !== undefined && state.url !== url && this.getActivationMode() !== 'manual') {
					this.logger.warn(
						'PrivCards Trigger registers a new webhook endpoint: the one it had is for another URL and is left as it is',
						{ endpointId: state.endpointId, url: state.url },
					);
				}
				clearState(staticData);
				return false;
			},

			create: async function (this: IHookFunctions): Promise<boolean> {
				const url = webhookUrl(this);
				const events = normalizeEvents(chosenEvents(this));
				if (events.length === 0) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event', {
						description: 'The trigger registers a PrivCards webhook for the chosen events only.',
					});
				}
				const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('hex')}`;
				const endpoint = await apiRequest<CreatedWebhookEndpoint>(this, {
					route: 'createWebhook',
					body: { url, events, secret },
				});
				if (typeof endpoint?.id !== 'string' || endpoint.id === '') {
					throw new NodeOperationError(
						this.getNode(),
						'PrivCards did not return the new webhook endpoint ID',
					);
				}
				writeEndpointState(this.getWorkflowStaticData('node'), {
					endpointId: endpoint.id,
					// The API signs with the endpoint's secret, which is ours unless it says otherwise.
					secret:
						typeof endpoint.secret === 'string' && endpoint.secret !== ''
							? endpoint.secret
							: secret,
					url,
					events,
				});
				return true;
			},

			/**
			 * Deletes the endpoint this node registered for this URL and forgets it. State kept for another URL is
			 * left alone: n8n may remove its test webhook with the production state in hand.
			 */
			delete: async function (this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const state = readEndpointState(staticData);
				if (state !== undefined && state.url !== webhookUrl(this)) return true;
				if (state !== undefined) await deleteEndpoint(this, state.endpointId);
				clearState(staticData);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const staticData = this.getWorkflowStaticData('node');
		const secret = readEndpointState(staticData)?.secret;
		const rawBody = rawBodyOf(this);
		if (secret === undefined || rawBody === undefined) {
			this.logger.warn(
				'PrivCards Trigger refused a delivery: no registered secret or no raw body to verify',
			);
			return answer(this, 401, { error: 'invalid_signature' });
		}
		if (!verifySignature(rawBody, headerValue(this, HEADERS.signature), secret)) {
			this.logger.debug('PrivCards Trigger refused a delivery with a missing or wrong signature');
			return answer(this, 401, { error: 'invalid_signature' });
		}

		const event = parseEvent(rawBody);
		if (event === undefined) return answer(this, 400, { error: 'not_an_event' });
		if (!isChosen(event.type, chosenEvents(this))) {
			return answer(this, 200, { received: true, ignored: 'event type not chosen' });
		}

		const tolerance = toleranceSeconds(this);
		const createdAt = parseEventTime(event.created_at) as number;
		const now = Date.now();
		const seen = readSeenEvents(staticData);
		const verdict = replayVerdict(seen, event.id, createdAt, now, tolerance);
		if (verdict !== 'fresh') {
			this.logger.debug(`PrivCards Trigger dropped a ${verdict} delivery`, { eventId: event.id });
			return answer(this, 200, { received: true, ignored: verdict });
		}
		writeSeenEvents(staticData, rememberEvent(seen, event.id, createdAt, now, tolerance));

		const outputDataOnly = this.getNodeParameter('options.outputDataOnly', false) === true;
		const json: IDataObject = outputDataOnly
			? event.data
			: { id: event.id, type: event.type, created_at: event.created_at, data: event.data };
		return { workflowData: [this.helpers.returnJsonArray(json)] };
	}
}
