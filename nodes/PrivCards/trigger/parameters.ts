import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { ALL_EVENTS, unknownEvents } from '../contract';
import { CREDENTIAL_TYPE } from '../transport';
import { DEFAULT_TOLERANCE_MINUTES } from './replay';
import { deriveSigningSecret } from './secret';

export const WEBHOOK_NAME = 'default';

export type TriggerContext = IHookFunctions | IWebhookFunctions;

/** The URL n8n serves this trigger at: production, or the test URL while the editor listens for a test event. */
export function webhookUrl(context: TriggerContext): string {
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

/** The secret this trigger registers for `url`, from the credential's API key (see deriveSigningSecret). */
export async function signingSecretFor(context: TriggerContext, url: string): Promise<string> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	if (apiKey === '') {
		throw new NodeOperationError(context.getNode(), 'The PrivCards credential has no API key');
	}
	return deriveSigningSecret(apiKey, url);
}
