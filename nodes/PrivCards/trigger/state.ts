import type { IDataObject } from 'n8n-workflow';

import type { SeenEvents } from './replay';

/** What the trigger keeps in its node's workflow static data: the only state it has between requests. */
export interface EndpointState {
	endpointId: string;
	/** The signing secret. PrivCards shows it only in the create response, so it is kept here. */
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
	seenEvents: 'seenEvents',
} as const;

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The registered endpoint, or undefined when none is registered (or the static data is incomplete). */
export function readEndpointState(staticData: IDataObject): EndpointState | undefined {
	const { endpointId, secret, url, events } = staticData;
	if (typeof endpointId !== 'string' || endpointId === '') return undefined;
	if (typeof secret !== 'string' || secret === '') return undefined;
	if (typeof url !== 'string' || !isStringArray(events)) return undefined;
	return { endpointId, secret, url, events: [...events] };
}

/** Records a newly registered endpoint; ids seen under an earlier endpoint are forgotten. */
export function writeEndpointState(staticData: IDataObject, state: EndpointState): void {
	staticData[KEYS.endpointId] = state.endpointId;
	staticData[KEYS.secret] = state.secret;
	staticData[KEYS.url] = state.url;
	staticData[KEYS.events] = [...state.events];
	staticData[KEYS.seenEvents] = {};
}

/** Removes everything the trigger keeps. */
export function clearState(staticData: IDataObject): void {
	for (const key of Object.values(KEYS)) delete staticData[key];
}

export function readSeenEvents(staticData: IDataObject): SeenEvents {
	const stored = staticData[KEYS.seenEvents];
	if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
	const seen: SeenEvents = {};
	for (const [id, createdAt] of Object.entries(stored)) {
		if (typeof createdAt === 'number' && Number.isFinite(createdAt)) seen[id] = createdAt;
	}
	return seen;
}

/**
 * Stores the seen set by assigning a new object to the node's static data: n8n saves static data after a
 * webhook call only when its change flag is set, and an assignment on the node's (observed) static data is
 * what sets it, whether or not the stored object itself is observed.
 */
export function writeSeenEvents(staticData: IDataObject, seen: SeenEvents): void {
	staticData[KEYS.seenEvents] = { ...seen };
}
