import type { IDataObject } from 'n8n-workflow';

import { ID_BODY_PATTERN, ID_PREFIXES } from '../contract';
import type { WebhookEvent } from '../contract';

export type ReceivedEvent = WebhookEvent<IDataObject>;

/** `card.frozen`, `3ds.challenge`: dot-separated lowercase words. New types the API adds later pass too. */
const EVENT_TYPE_PATTERN = /^[a-z0-9_]+(?:\.[a-z0-9_]+)+$/;
const EVENT_TYPE_MAX_LENGTH = 100;
/** ISO 8601 with a time and an explicit zone (`Z` or an offset), as the API writes times. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isEventId(value: unknown): value is string {
	return (
		typeof value === 'string' &&
		value.startsWith(ID_PREFIXES.event) &&
		ID_BODY_PATTERN.test(value.slice(ID_PREFIXES.event.length))
	);
}

/** Epoch milliseconds of an ISO 8601 date-time with a zone, or undefined when it is not one. */
export function parseEventTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return undefined;
	const time = Date.parse(value);
	return Number.isNaN(time) ? undefined : time;
}

/**
 * The event a delivery carries (`{ id, type, created_at, data }`), read from the raw body bytes, or undefined
 * when the body is not one. Only the four documented fields are kept.
 */
export function parseEvent(rawBody: Buffer): ReceivedEvent | undefined {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!isObject(body)) return undefined;
	const { id, type, created_at: createdAt, data } = body;
	if (!isEventId(id)) return undefined;
	if (
		typeof type !== 'string' ||
		type.length > EVENT_TYPE_MAX_LENGTH ||
		!EVENT_TYPE_PATTERN.test(type)
	) {
		return undefined;
	}
	if (parseEventTime(createdAt) === undefined || !isObject(data)) return undefined;
	return { id, type, created_at: createdAt as string, data };
}
