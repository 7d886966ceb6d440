import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions } from 'n8n-workflow';

import { comparableWebhookUrl, normalizeEvents, sameEvents } from '../contract';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../contract';
import { apiList, apiRequest } from '../transport';
import { chosenEvents, signingSecretFor, webhookKind, webhookUrl } from './parameters';
import { secretFingerprint } from './secret';
import type { WebhookKind } from './secret';
import { clearState, readEndpointState, recordedEndpoints, writeEndpointState } from './state';
import type { EndpointState } from './state';

/**
 * The trigger's endpoint at PrivCards, kept to exactly one per webhook URL (the production URL and the test URL
 * each have their own). Every decision is taken from the endpoints the API lists, never from static data alone:
 * static data may be stale or lost, the API is not. An endpoint is this URL's when the API lists it at this URL
 * (compared as the API may spell it, see comparableWebhookUrl) or under the ID the registration recorded for it.
 */

/** Whether a recorded registration is the one for `url`. */
function recordedFor(state: EndpointState | undefined, url: string): state is EndpointState {
	return state !== undefined && comparableWebhookUrl(state.url) === comparableWebhookUrl(url);
}

async function endpointsAt(
	context: IHookFunctions,
	url: string,
	recordedIds: ReadonlyArray<string | undefined>,
): Promise<WebhookEndpoint[]> {
	const endpoints = await apiList<WebhookEndpoint>(
		context,
		{ route: 'listWebhooks' },
		{ returnAll: true },
	);
	const wanted = comparableWebhookUrl(url);
	return endpoints.filter(
		(endpoint) =>
			recordedIds.includes(endpoint.id) ||
			(typeof endpoint.url === 'string' && comparableWebhookUrl(endpoint.url) === wanted),
	);
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
		(error: unknown) =>
			error ?? new NodeOperationError(context.getNode(), 'Deleting the webhook failed'),
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

/** This registration's record, when it is the one for this URL. */
function ownRecord(
	context: IHookFunctions,
	kind: WebhookKind,
	url: string,
): EndpointState | undefined {
	const state = readEndpointState(context.getWorkflowStaticData('node'), kind);
	return recordedFor(state, url) ? state : undefined;
}

/**
 * n8n's `checkExists`: true only when the endpoint this registration recorded is still registered, with the chosen
 * events and a secret of the current API key (other endpoints at the URL are deleted). Otherwise false, and n8n
 * calls `register`, which replaces whatever is there: after the API key changed, that registers under the new key.
 */
export async function isRegistered(context: IHookFunctions): Promise<boolean> {
	const url = webhookUrl(context);
	const kind = webhookKind(context);
	const wanted = normalizeEvents(chosenEvents(context));
	const state = ownRecord(context, kind, url);
	const endpoints = await endpointsAt(context, url, [state?.endpointId]);
	const fingerprint = secretFingerprint(await signingSecretFor(context, kind));
	const current = endpoints.find(
		(endpoint) =>
			state !== undefined &&
			endpoint.id === state.endpointId &&
			state.secretFingerprint === fingerprint &&
			Array.isArray(endpoint.events) &&
			sameEvents(endpoint.events, wanted),
	);
	if (current === undefined) return false;
	await deleteAllBut(context, endpoints, current.id);
	return true;
}

/**
 * n8n's `create`: registers a new endpoint for this URL with the chosen events and the derived secret, records it,
 * and only then deletes the other endpoints of this URL (the one recorded before included, wherever the API says it
 * points), so that events keep arriving throughout a re-activation.
 */
export async function register(context: IHookFunctions): Promise<void> {
	const url = webhookUrl(context);
	const kind = webhookKind(context);
	const events = normalizeEvents(chosenEvents(context));
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Choose at least one event', {
			description: 'The trigger registers a PrivCards webhook for the chosen events only.',
		});
	}
	const secret = await signingSecretFor(context, kind);
	const previous = ownRecord(context, kind, url);
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
	writeEndpointState(context.getWorkflowStaticData('node'), kind, {
		endpointId: endpoint.id,
		url,
		events,
		secretFingerprint: secretFingerprint(secret),
	});
	const stale = await endpointsAt(context, url, [previous?.endpointId, endpoint.id]);
	await deleteAllBut(context, stale, endpoint.id);
}

/**
 * n8n's `delete`: removes every endpoint of this URL, whatever static data says, and forgets its record. n8n runs
 * it in mode `internal` for the test listener and the published workflow alike, so the record is found by URL: the
 * test URL and the production URL differ, and removing the test webhook never touches the production endpoint or
 * its record.
 */
export async function unregister(context: IHookFunctions): Promise<void> {
	const url = webhookUrl(context);
	const staticData = context.getWorkflowStaticData('node');
	const own = recordedEndpoints(staticData).filter(({ state }) => recordedFor(state, url));
	await deleteAllBut(
		context,
		await endpointsAt(
			context,
			url,
			own.map(({ state }) => state.endpointId),
		),
	);
	clearState(
		staticData,
		own.map(({ kind }) => kind),
	);
}
