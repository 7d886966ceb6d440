import type { INodePropertyOptions } from 'n8n-workflow';

import { ALL_EVENTS, EVENT_TYPES } from './api';
import type { EventType } from './api';

/** What each documented event type means [doc]. */
const EVENT_DESCRIPTIONS: Record<EventType, string> = {
	'card.created': 'A new card was issued',
	'card.frozen': 'A card was frozen',
	'card.unfrozen': 'A card was unfrozen',
	'card.terminated': 'A card was terminated',
	'card.funded': 'Funds were added to a card',
	'transaction.authorized': 'A transaction was authorized',
	'transaction.settled': 'A transaction was settled',
	'transaction.declined': 'A transaction was declined',
	'transaction.refunded': 'A refund was processed',
	'3ds.challenge': '3DS verification is required (carries the one-time code)',
	'deposit.pending': 'A crypto deposit was detected',
	'deposit.confirmed': 'A crypto deposit was confirmed',
};

/** The 12 documented event types as n8n options, for the trigger's and the webhook resource's event pickers. */
export const EVENT_TYPE_OPTIONS: INodePropertyOptions[] = EVENT_TYPES.map((type) => ({
	name: type,
	value: type,
	description: EVENT_DESCRIPTIONS[type],
}));

/** What a subscription may name: a documented event type, or `*` for all. */
export const KNOWN_EVENT_SELECTIONS: readonly string[] = [ALL_EVENTS, ...EVENT_TYPES];

/** Selections that are neither a documented event type nor `*`. */
export function unknownEvents(selection: readonly string[]): string[] {
	return selection.filter((event) => !KNOWN_EVENT_SELECTIONS.includes(event));
}

/** The subscription to register: `["*"]` when "all" is among the choices, else the choices sorted, once each. */
export function normalizeEvents(selection: readonly string[]): string[] {
	if (selection.includes(ALL_EVENTS)) return [ALL_EVENTS];
	return [...new Set(selection)].sort();
}

/** Whether two subscriptions deliver the same events (order and repeats do not matter). */
export function sameEvents(left: readonly string[], right: readonly string[]): boolean {
	const a = normalizeEvents(left);
	const b = normalizeEvents(right);
	return a.length === b.length && a.every((event, index) => event === b[index]);
}

export function isChosen(type: string, selection: readonly string[]): boolean {
	return selection.includes(ALL_EVENTS) || selection.includes(type);
}
