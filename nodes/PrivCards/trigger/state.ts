import type { IDataObject } from 'n8n-workflow';

import type { WebhookKind } from './secret';

/**
 * What a registration records in the node's workflow static data, one record per kind (the published workflow's and
 * the editor's test listener's), so that neither can overwrite the other's. Nothing here is needed to verify a
 * delivery (the secret is derived) or to clean up (the API lists the endpoints): it lets a restart keep the endpoint
 * it has, and recognise it by ID when the API stored its URL in another spelling. Anyone who can read the workflow
 * can read static data, so no secret is kept here, only its fingerprint.
 */
export interface EndpointState {
	endpointId: string;
	/** The URL the endpoint was registered for, as sent. */
	url: string;
	/** The subscription as registered (normalized). */
	events: string[];
	/** `secretFingerprint()` of the secret it was registered with: tells whether the API key changed since. */
	secretFingerprint: string;
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isNonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value !== '';
}

/** The endpoint recorded for this kind, or undefined when none is (or the record is incomplete). */
export function readEndpointState(
	staticData: IDataObject,
	kind: WebhookKind,
): EndpointState | undefined {
	const record = staticData[kind];
	if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
	const { endpointId, url, events, secretFingerprint } = record as IDataObject;
	if (!isNonEmptyString(endpointId) || !isNonEmptyString(url)) return undefined;
	if (!isNonEmptyString(secretFingerprint) || !isStringArray(events)) return undefined;
	return { endpointId, url, events: [...events], secretFingerprint };
}

/** Every recorded endpoint, with its kind. */
export function recordedEndpoints(
	staticData: IDataObject,
): Array<{ kind: WebhookKind; state: EndpointState }> {
	return (['production', 'test'] as const).flatMap((kind) => {
		const state = readEndpointState(staticData, kind);
		return state === undefined ? [] : [{ kind, state }];
	});
}

export function writeEndpointState(
	staticData: IDataObject,
	kind: WebhookKind,
	state: EndpointState,
): void {
	staticData[kind] = { ...state, events: [...state.events] };
}

/** Forgets the records of these kinds. */
export function clearState(staticData: IDataObject, kinds: readonly WebhookKind[]): void {
	for (const key of kinds) delete staticData[key];
}
