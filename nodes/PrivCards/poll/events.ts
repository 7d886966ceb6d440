import type { IDataObject } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { ID_PREFIXES } from '../contract';
import type { EventType, WebhookEvent } from '../contract';

export type PolledEvent = WebhookEvent<IDataObject>;

/** Hex characters of the event id after `evt_`: 96 bits, well within the API's id charset and length. */
const EVENT_ID_LENGTH = 24;

/**
 * The event a record stands for, shaped as the webhook trigger outputs its deliveries. Its id is derived from the
 * event type and the record's id, so every poll (and every n8n process) gives the same event the same id.
 */
export function eventOf(type: EventType, record: IDataObject): PolledEvent {
	const digest = createHash('sha256')
		.update(`${type}\n${String(record.id)}`)
		.digest('hex');
	return {
		id: `${ID_PREFIXES.event}${digest.slice(0, EVENT_ID_LENGTH)}`,
		type,
		created_at: String(record.created_at),
		data: record,
	};
}

/** Oldest first; events of the same second keep the order their lists gave them. */
export function byCreation(events: PolledEvent[]): PolledEvent[] {
	return events
		.map((event, index) => ({ event, index, time: Date.parse(event.created_at) }))
		.sort((a, b) => a.time - b.time || a.index - b.index)
		.map(({ event }) => event);
}
