/** What the emulator keeps of each request, for tests to assert on. Never an API key, PAN or CVV. */

export interface LoggedRequest {
	requestId: string;
	method: string;
	/** Relative to the base URL, as the contract's routes: `/cards/card_8xK2m9Lp4q/fund` (the full path when outside it). */
	path: string;
	query: Record<string, string>;
	/** Lower-cased names; the Authorization value keeps its scheme only (`Bearer [redacted]`). */
	headers: Record<string, string>;
	/** The parsed JSON body (the raw text when it is not JSON), undefined when there is none. */
	body: unknown;
	idempotencyKey: string | null;
	/** The answer's status: null while the request runs, or when a fault reset the connection before any answer. */
	status: number | null;
	/** The answer is an idempotent replay of a kept one. */
	replayed: boolean;
	/** A fault destroyed the connection: the client got no answer, even when `status` says what was committed. */
	connectionReset: boolean;
	/** `performance.now()` when the request arrived and when it was answered (null until then): what overlapped. */
	receivedAtMs: number;
	answeredAtMs: number | null;
}

export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: RawHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

export function redactedHeaders(headers: RawHeaders): Record<string, string> {
	const redacted: Record<string, string> = {};
	for (const name of Object.keys(headers)) {
		const value = headerValue(headers, name);
		if (value === undefined) continue;
		redacted[name.toLowerCase()] =
			name.toLowerCase() === 'authorization'
				? value.replace(/^(\S+\s+)?.*$/s, '$1[redacted]')
				: value;
	}
	return redacted;
}
