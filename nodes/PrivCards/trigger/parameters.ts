import { NodeOperationError } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import { ALL_EVENTS, EVENT_TYPE_OPTIONS, unknownEvents } from '../contract';
import { CREDENTIAL_TYPE } from '../transport';
import { DEFAULT_TOLERANCE_MINUTES } from './replay';
import { deriveSigningSecret } from './secret';
import type { WebhookKind } from './secret';

export const WEBHOOK_NAME = 'default';

/** The node's subtitle on the canvas: the chosen events by the names the Events field shows, not their raw types. */
export const EVENTS_SUBTITLE = `={{ $parameter["events"].map(event => (${JSON.stringify(
	Object.fromEntries([
		[ALL_EVENTS, 'All Events'],
		...EVENT_TYPE_OPTIONS.map((option) => [option.value, option.name]),
	]),
)})[event] || event).join(", ") }}`;

/** The Events field of both triggers: All Events first, then the event types this trigger can start on. */
export function eventsField(
	allEventsDescription: string,
	eventOptions: typeof EVENT_TYPE_OPTIONS = EVENT_TYPE_OPTIONS,
): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		description: 'The events that start the workflow',
		options: [
			{ name: 'All Events', value: ALL_EVENTS, description: allEventsDescription },
			...eventOptions,
		],
	};
}

/** Both triggers' Output Only Event Data option; `records` names what an event's data can be. */
export function outputDataOnlyOption(records: string): INodeProperties {
	return {
		displayName: 'Output Only Event Data',
		name: 'outputDataOnly',
		type: 'boolean',
		default: false,
		description: `Whether to output only the event's data (${records}) instead of the whole event with its ID, type and time`,
	};
}

export type TriggerContext = IHookFunctions | IWebhookFunctions;

/**
 * Whether n8n runs the trigger for the editor's "listen for test event" (mode `manual`: the hooks that register the
 * test URL, the test delivery and its execution) or for the published workflow. Not for the delete hook: n8n runs it
 * in mode `internal` for both (it works from the URL instead).
 */
export function webhookKind(context: TriggerContext | IExecuteFunctions): WebhookKind {
	return context.getMode() === 'manual' ? 'test' : 'production';
}

/**
 * The URL n8n registers this trigger at, in a hook: production, or the test URL while the editor listens for a test
 * event. (In a delivery, n8n-core's `getNodeWebhookUrl()` answers the production URL even for a test delivery.)
 */
export function webhookUrl(context: IHookFunctions): string {
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
export function chosenEvents(context: TriggerContext): string[] {
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

export function toleranceSeconds(context: IWebhookFunctions): number {
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

/**
 * The secret of this trigger's registration of the given kind, from the credential's current API key, the
 * workflow ID and the node's webhook ID (see deriveSigningSecret): the same in every n8n process.
 */
export async function signingSecretFor(
	context: TriggerContext,
	kind: WebhookKind,
): Promise<string> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	if (apiKey === '') {
		throw new NodeOperationError(context.getNode(), 'The PrivCards credential has no API key');
	}
	const node = context.getNode();
	return deriveSigningSecret(apiKey, {
		workflowId: context.getWorkflow().id ?? '',
		webhookId: node.webhookId ?? node.id,
		kind,
	});
}
