export interface RateLimit {
	/** Requests allowed in any window. */
	max: number;
	windowMs: number;
}

/** A sliding-window limit per API key. Real elapsed time, whatever the emulator's clock says. */
export class RateLimiter {
	private readonly accepted = new Map<string, number[]>();

	constructor(private readonly limit: RateLimit) {}

	/** Counts a request; when the key is over its limit, the whole seconds to wait instead. */
	take(apiKey: string): { retryAfterSeconds: number } | undefined {
		const now = Date.now();
		const recent = (this.accepted.get(apiKey) ?? []).filter(
			(time) => time > now - this.limit.windowMs,
		);
		this.accepted.set(apiKey, recent);
		if (recent.length >= this.limit.max) {
			const waitMs = recent[0] + this.limit.windowMs - now;
			return { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
		}
		recent.push(now);
		return undefined;
	}
}
