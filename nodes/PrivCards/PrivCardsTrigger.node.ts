import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { HEADERS } from './contract';
import {
	chosenEvents,
	decideDelivery,
	DEFAULT_TOLERANCE_MINUTES,
	EVENTS_SUBTITLE,
	eventsField,
	isRegistered,
	outputDataOnlyOption,
	passNewEvents,
	readEndpointState,
	recentEventsOf,
	register,
	secretFingerprint,
	signingSecretFor,
	toleranceSeconds,
	unregister,
	WEBHOOK_NAME,
	webhookKind,
} from './trigger';
import type { WebhookKind } from './trigger';

/** The exact body bytes n8n received, or undefined when n8n kept none. */
function rawBodyOf(context: IWebhookFunctions): Buffer | undefined {
	const { rawBody } = context.getRequestObject() as unknown as { rawBody?: unknown };
	return Buffer.isBuffer(rawBody) ? rawBody : undefined;
}

function headerValue(context: IWebhookFunctions, name: string): string | undefined {
	const value = context.getHeaderData()[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

/** Answers the delivery here and starts no execution (Node's own response methods, which Express's has too). */
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

/**
 * Says why a refused delivery may be legitimate: the endpoint was registered under another API key (its record's
 * fingerprint is not the current secret's), so it signs with a secret the credential no longer derives.
 */
function warnIfKeyChanged(context: IWebhookFunctions, kind: WebhookKind, secret: string): void {
	const recorded = readEndpointState(context.getWorkflowStaticData('node'), kind);
	if (recorded === undefined || recorded.secretFingerprint === secretFingerprint(secret)) return;
	context.logger.warn(
		"PrivCards Trigger refused a delivery: the credential's API key changed since the trigger registered its webhook. Publish the workflow again to register it under the new key.",
	);
}

export class PrivCardsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PrivCards Trigger',
		name: 'privCardsTrigger',
		icon: { light: 'file:../../icons/privcards.svg', dark: 'file:../../icons/privcards.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description:
			'Starts the workflow when PrivCards sends an event: a declined or authorized transaction, a 3DS code, a deposit, a card change',
		defaults: { name: 'PrivCards Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'privCardsApi', required: true }],
		webhooks: [
			{
				name: WEBHOOK_NAME,
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"PrivCards delivers to a public HTTPS webhook URL only (n8n's WEBHOOK_URL), the local emulator also to localhost.",
				name: 'httpsNotice',
				type: 'notice',
				default: '',
			},
			eventsField('Every event type, including types PrivCards adds later'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					outputDataOnlyOption('the card, transaction, 3DS challenge or deposit'),
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
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isRegistered(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await register(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				await unregister(this);
				return true;
			},
		},
	};

	/**
	 * A delivery, to the production URL or the editor's test URL (each with its own secret and its own memory of
	 * recent events): verified and checked here; nothing in it writes static data.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const kind = webhookKind(this);
		const node = this.getNode();
		const recent = recentEventsOf(
			`${this.getWorkflow().id ?? ''}|${node.webhookId ?? node.id}|${kind}`,
		);
		const secret = await signingSecretFor(this, kind).catch(() => undefined);
		const nowMs = Date.now();
		const decision = decideDelivery(
			{ rawBody: rawBodyOf(this), signature: headerValue(this, HEADERS.signature) },
			{
				secrets: secret === undefined ? [] : [secret],
				chosenEvents: chosenEvents(this),
				toleranceSeconds: toleranceSeconds(this),
				nowMs,
				claim: (eventId, expiresAtMs) => recent.claim(eventId, expiresAtMs, nowMs),
			},
		);
		if (decision.verdict !== 'accept') {
			this.logger.debug(
				`PrivCards Trigger answered a delivery ${decision.statusCode}: ${decision.reason}`,
			);
			if (decision.statusCode === 401 && secret !== undefined) warnIfKeyChanged(this, kind, secret);
			return answer(this, decision.statusCode, decision.body);
		}
		const { id, type, created_at, data } = decision.event;
		return { workflowData: [this.helpers.returnJsonArray({ id, type, created_at, data })] };
	}

	/** The trigger's step in the execution a delivery started: drops repeats n8n's store has seen (queue mode). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputDataOnly = this.getNodeParameter('options.outputDataOnly', 0, false) === true;
		return [await passNewEvents(this, outputDataOnly)];
	}
}
