import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions } from 'n8n-workflow';

import { normalizeEvents, sameEvents } from '../contract';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../contract';
import { apiList, apiRequest } from '../transport';
import { chosenEvents, signingSecretFor, webhookUrl } from './parameters';
import { clearState, readEndpointState, writeEndpointState } from './state';

/**
 * The trigger's endpoint at PrivCards, kept to exactly one per webhook URL. Every decision is taken from the
 * endpoints the API lists at this trigger's URL (the URL embeds the node's own webhook id), never from static data
 * alone: static data may be stale or lost, the API is not.
 */

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

/** Deletes an endpoint; one that is already gone (404) is fine, every other failure is thrown as it came. */
async function deleteEndpoint(context: IHookFunctions, endpointId: string): Promise<void> {
	// The transport's errors are already NodeApiError / NodeOperationError: passed on as they are, not wrapped.
	const failure: unknown = await apiRequest(context, {
		route: 'deleteWebhook',
		pathParameters: { webhookId: endpointId },
	}).then(
		() => undefined,
		(error: unknown) => error ?? new NodeOperationError(context.getNode(), 'Deleting the webhook failed'),
	);
	if (failure === undefined) return;
	if (!isNotFound(failure)) throw failure;
	context.logger.debug('PrivCards webhook endpoint was already deleted', { endpointId });
}

async function deleteAllBut(
	context: IHookFunctions,
	endpoints: WebhookEndpoint[],
	keepId?: string,
): Promise<void> {
	for (const endpoint of endpoints) {
		if (endpoint.id !== keepId) await deleteEndpoint(context, endpoint.id);
	}
}

/**
 * n8n's `checkExists`: true only when the endpoint activation recorded is still registered at this URL, with the
 * chosen events and the secret the current API key derives (other endpoints at the URL are deleted). Otherwise
 * false, and n8n calls `register`, which replaces whatever is there.
 */
export async function isRegistered(context: IHookFunctions): Promise<boolean> {
	const url = webhookUrl(context);
	const wanted = normalizeEvents(chosenEvents(context));
	const state = readEndpointState(context.getWorkflowStaticData('node'));
	const endpoints = await endpointsAt(context, url);
	const secret = await signingSecretFor(context, url);
	const current = endpoints.find(
		(endpoint) =>
			state !== undefined &&
			endpoint.id === state.endpointId &&
			state.url === url &&
			state.secret === secret &&
			Array.isArray(endpoint.events) &&
			sameEvents(endpoint.events, wanted),
	);
	if (current === undefined) return false;
	await deleteAllBut(context, endpoints, current.id);
	return true;
}

/**
 * n8n's `create`: registers a new endpoint for this URL with the chosen events and the derived secret, records it,
 * and only then deletes the other endpoints at the URL, so that events keep arriving throughout a re-activation.
 */
export async function register(context: IHookFunctions): Promise<void> {
	const url = webhookUrl(context);
	const events = normalizeEvents(chosenEvents(context));
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Choose at least one event', {
			description: 'The trigger registers a PrivCards webhook for the chosen events only.',
		});
	}
	const secret = await signingSecretFor(context, url);
	const endpoint = await apiRequest<CreatedWebhookEndpoint>(context, {
		route: 'createWebhook',
		body: { url, events, secret },
	});
	if (typeof endpoint?.id !== 'string' || endpoint.id === '') {
		throw new NodeOperationError(
			context.getNode(),
			'PrivCards did not return the new webhook endpoint ID',
		);
	}
	if (typeof endpoint.secret === 'string' && endpoint.secret !== '' && endpoint.secret !== secret) {
		await deleteEndpoint(context, endpoint.id);
		throw new NodeOperationError(
			context.getNode(),
			'PrivCards registered the webhook with another signing secret',
			{
				description: 'Its deliveries could not be verified, so the endpoint was deleted again.',
			},
		);
	}
	writeEndpointState(context.getWorkflowStaticData('node'), {
		endpointId: endpoint.id,
		secret,
		url,
		events,
	});
	await deleteAllBut(context, await endpointsAt(context, url), endpoint.id);
}

/**
 * n8n's `delete`: removes every endpoint registered at this URL, whatever static data says, and forgets the state.
 * The test URL and the production URL differ, so removing the test webhook never touches the production endpoint.
 */
export async function unregister(context: IHookFunctions): Promise<void> {
	const url = webhookUrl(context);
	await deleteAllBut(context, await endpointsAt(context, url));
	const staticData = context.getWorkflowStaticData('node');
	const state = readEndpointState(staticData);
	if (state === undefined || state.url === url) clearState(staticData);
}
