/**
 * Money crosses the API as USD numbers with at most 2 decimals [doc]. The node, the emulator and the tests add and
 * compare it in integer cents, so 0.1 + 0.2 never shows up in a balance: these two are the only conversions.
 */
export function toCents(usd: number): number {
	return Math.round(usd * 100);
}

export function fromCents(cents: number): number {
	return cents / 100;
}
