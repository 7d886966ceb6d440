import type { IDataObject } from 'n8n-workflow';

import { TRANSACTION_EVENTS } from '../contract';
import type { EventType, TransactionType } from '../contract';

/** A list the polling trigger reads, and the event each of its records stands for. */
export interface PollSource {
	/** The static-data key of this list's cursor. */
	name: 'transactions' | 'cards' | 'deposits';
	route: 'listTransactions' | 'listCards' | 'listDeposits';
	/** The event types this list yields. */
	events: readonly EventType[];
	/** The event a record stands for, or undefined when it stands for none of `events`. */
	eventOf(record: IDataObject): EventType | undefined;
	/** Server-side filters that narrow the list to the chosen events, where the list has one. */
	query(chosen: readonly EventType[]): IDataObject;
}

const TRANSACTION_TYPE_OF = Object.fromEntries(
	Object.entries(TRANSACTION_EVENTS).map(([type, event]) => [event, type]),
) as Record<EventType, TransactionType | undefined>;

/**
 * The lists events can be derived from exactly, with the record's own id and `created_at`:
 * - transactions: each transaction type is one transaction event; the list filters by time (`from`, `to`);
 * - cards: a card's creation (`card.created`); frozen, unfrozen, terminated and funded leave no time in any list;
 * - deposits: a deposit's detection (`deposit.pending`); the list is ordered by `created_at`, so a deposit
 *   confirmed later appears nowhere near the list's head and `deposit.confirmed` is not derived.
 * 3DS challenges carry no `created_at`: `3ds.challenge` is not derived either.
 */
export const POLL_SOURCES: readonly PollSource[] = [
	{
		name: 'transactions',
		route: 'listTransactions',
		events: Object.values(TRANSACTION_EVENTS),
		eventOf: (record) => TRANSACTION_EVENTS[record.type as TransactionType],
		query: (chosen) => {
			const types = chosen.map((event) => TRANSACTION_TYPE_OF[event]).filter(Boolean);
			return types.length === 1 ? { type: types[0] } : {};
		},
	},
	{
		name: 'cards',
		route: 'listCards',
		events: ['card.created'],
		eventOf: () => 'card.created',
		query: () => ({}),
	},
	{
		name: 'deposits',
		route: 'listDeposits',
		events: ['deposit.pending'],
		eventOf: () => 'deposit.pending',
		query: () => ({}),
	},
];

/** Every event type the polling trigger can derive, in the order of the lists. */
export const POLLABLE_EVENTS: readonly EventType[] = POLL_SOURCES.flatMap(
	(source) => source.events,
);
