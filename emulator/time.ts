/** The emulator's clock: every timestamp, expiry and calendar month it computes reads this. */
export type Clock = () => Date;

/** The clock's reading, to the whole second, as the API states times. */
export function currentSecond(clock: Clock): Date {
	const now = clock();
	return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

/** `2026-04-15T12:00:00Z`: ISO 8601 UTC without fractions, the API's time format. */
export function isoTime(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
