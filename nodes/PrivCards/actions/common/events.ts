import type { INodePropertyOptions } from 'n8n-workflow';

import { EVENT_TYPES } from '../../contract';
import type { EventType } from '../../contract';

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

/** The 12 documented event types as n8n options, shared by the webhook resource and the trigger. */
export const EVENT_TYPE_OPTIONS: INodePropertyOptions[] = EVENT_TYPES.map((type) => ({
	name: type,
	value: type,
	description: EVENT_DESCRIPTIONS[type],
}));
