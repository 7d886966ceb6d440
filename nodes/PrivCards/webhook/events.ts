import { ALL_EVENTS, EVENT_TYPES } from '../contract';

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
