import type { Card } from '../../contract';
import { pickedOutput } from '../common/outputShape';

/** Every key of a card (the compiler keeps this in step with the contract): what Selected Fields offers. */
const CARD_KEYS: Record<keyof Card, true> = {
	id: true,
	bin_id: true,
	network: true,
	last4: true,
	status: true,
	balance: true,
	spending_limit: true,
	label: true,
	allowed_categories: true,
	auto_freeze_at: true,
	metadata: true,
	created_at: true,
	expires_at: true,
};

/** The ten fields a card is used by: which one, its state and money, and when it lapses. */
const SIMPLE_CARD_KEYS: (keyof Card & string)[] = [
	'id',
	'label',
	'last4',
	'status',
	'balance',
	'spending_limit',
	'network',
	'bin_id',
	'metadata',
	'expires_at',
];

export const cardOutput = pickedOutput<Card>(CARD_KEYS, SIMPLE_CARD_KEYS);
