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

/** How each event type reads in the editor, as n8n's own triggers name theirs ("Charge Captured"). */
const EVENT_NAMES: Record<EventType, string> = {
	'card.created': 'Card Created',
	'card.frozen': 'Card Frozen',
	'card.unfrozen': 'Card Unfrozen',
	'card.terminated': 'Card Terminated',
	'card.funded': 'Card Funded',
	'transaction.authorized': 'Transaction Authorized',
	'transaction.settled': 'Transaction Settled',
	'transaction.declined': 'Transaction Declined',
	'transaction.refunded': 'Transaction Refunded',
	'3ds.challenge': '3DS Challenge',
	'deposit.pending': 'Deposit Pending',
	'deposit.confirmed': 'Deposit Confirmed',
};

/** `Transaction Declined` → `transaction declined`, keeping acronyms: `3DS Challenge` → `3DS challenge`. */
function sentenceCase(name: string): string {
	return name
		.split(' ')
		.map((word) => (/^[0-9A-Z]+$/.test(word) ? word : word.toLowerCase()))
		.join(' ');
}

/**
 * The 12 documented event types as n8n options, for the trigger's and the webhook resource's event pickers:
 * readable names, sorted alphabetically; the API's event type is the saved value.
 */
export const EVENT_TYPE_OPTIONS: INodePropertyOptions[] = EVENT_TYPES.map((type) => ({
	name: EVENT_NAMES[type],
	value: type,
	description: EVENT_DESCRIPTIONS[type],
	// The node creator's action, which it would otherwise lower-case word by word ("On 3 ds challenge").
	action: `On ${sentenceCase(EVENT_NAMES[type])}`,
})).sort((a, b) => a.name.localeCompare(b.name, 'en'));

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
