/**
 * Money crosses the API as USD numbers with at most 2 decimals; inside the emulator it is integer cents, so
 * sums and comparisons are exact and 0.1 + 0.2 never shows up in a balance.
 */
export type Cents = number;

export function toCents(usd: number): Cents {
	return Math.round(usd * 100);
}

export function toUsd(cents: Cents): number {
	return cents / 100;
}

/** True when `usd` is exactly the number a 2-decimal literal parses to (19.99 yes; 0.1 + 0.2 no). */
export function hasAtMostTwoDecimals(usd: number): boolean {
	return Number.isFinite(usd) && toUsd(toCents(usd)) === usd;
}

export function sumCents(amounts: Iterable<Cents>): Cents {
	let total = 0;
	for (const amount of amounts) total += amount;
	return total;
}
