import type { IDataObject } from 'n8n-workflow';

/**
 * What activation records in the node's workflow static data. Nothing here is needed to verify a delivery or to
 * clean up on deactivation (both work from the derived secret and the endpoints listed at the URL); it lets a
 * restart keep the endpoint it has instead of registering a new one, and keeps the secret an endpoint registered
 * under an earlier API key signs with.
 */
export interface EndpointState {
	endpointId: string;
	/** The secret the endpoint was registered with. */
	secret: string;
	/** The URL the endpoint was registered for. */
	url: string;
	/** The subscription as registered (normalized). */
	events: string[];
}

const KEYS = {
	endpointId: 'endpointId',
	secret: 'secret',
	url: 'url',
	events: 'events',
	/** Written by versions before 0.2.0; removed on the next activation. */
	legacySeenEvents: 'seenEvents',
} as const;

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The recorded endpoint, or undefined when none is recorded (or the static data is incomplete). */
export function readEndpointState(staticData: IDataObject): EndpointState | undefined {
	const { endpointId, secret, url, events } = staticData;
	if (typeof endpointId !== 'string' || endpointId === '') return undefined;
	if (typeof secret !== 'string' || secret === '') return undefined;
	if (typeof url !== 'string' || !isStringArray(events)) return undefined;
	return { endpointId, secret, url, events: [...events] };
}

export function writeEndpointState(staticData: IDataObject, state: EndpointState): void {
	delete staticData[KEYS.legacySeenEvents];
	staticData[KEYS.endpointId] = state.endpointId;
	staticData[KEYS.secret] = state.secret;
	staticData[KEYS.url] = state.url;
	staticData[KEYS.events] = [...state.events];
}

/** Removes everything the trigger keeps. */
export function clearState(staticData: IDataObject): void {
	for (const key of Object.values(KEYS)) delete staticData[key];
}
