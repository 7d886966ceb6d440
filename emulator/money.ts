import { fromCents, toCents } from '../nodes/PrivCards/contract';

/** Inside the emulator money is integer cents (the contract's `toCents`), so sums and comparisons are exact. */
export type Cents = number;

/** True when `usd` is exactly the number a 2-decimal literal parses to (19.99 yes; 0.1 + 0.2 no). */
export function hasAtMostTwoDecimals(usd: number): boolean {
	return Number.isFinite(usd) && fromCents(toCents(usd)) === usd;
}

export function sumCents(amounts: Iterable<Cents>): Cents {
	let total = 0;
	for (const amount of amounts) total += amount;
	return total;
}
