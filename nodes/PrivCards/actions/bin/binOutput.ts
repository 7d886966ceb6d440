import type { Bin } from '../../contract';
import { pickedOutput } from '../common/outputShape';

/** Every key of a BIN (the compiler keeps this in step with the contract): what Selected Fields offers. */
const BIN_KEYS: Record<keyof Bin, true> = {
	id: true,
	network: true,
	type: true,
	'3ds': true,
	apple_pay: true,
	google_pay: true,
	max_transaction: true,
	max_monthly: true,
	acceptance_rate: true,
	best_for: true,
};

/** What choosing a BIN for a card turns on: its ID, network, limits, acceptance and use. */
const SIMPLE_BIN_KEYS: (keyof Bin & string)[] = [
	'id',
	'network',
	'type',
	'3ds',
	'max_transaction',
	'max_monthly',
	'acceptance_rate',
	'best_for',
];

export const binOutput = pickedOutput<Bin>(BIN_KEYS, SIMPLE_BIN_KEYS);
