import { RATE_LIMITS, rateWindowsOf, ROUTES } from '../nodes/PrivCards/contract';
import type { Route, RouteName, RateWindowName } from '../nodes/PrivCards/contract';

export interface RateLimit {
	/** Requests allowed in any window. */
	max: number;
	windowMs: number;
}

/** Per window: its limit, or null to enforce none. A window left out keeps the contract's limit. */
export type RateLimitOverrides = Partial<Record<RateWindowName, RateLimit | null>>;

/** Every window off: for fixtures that create records in bursts, and for suites about something else. */
export const NO_RATE_LIMITS: RateLimitOverrides = {
	minute: null,
	hour: null,
	cardCreates: null,
	cardDetails: null,
};

/**
 * The contract's windows scaled: `count` multiplies every limit (rounded up, at least 1), `time` every window's
 * length. `{ count: 0.01 }`: 10 requests a minute, 100 an hour, 1 card create and 1 Get Details a minute.
 */
export function scaledRateLimits({
	count = 1,
	time = 1,
}: {
	count?: number;
	time?: number;
}): RateLimitOverrides {
	const scaled: RateLimitOverrides = {};
	for (const name of Object.keys(RATE_LIMITS) as RateWindowName[]) {
		const { max, windowMs } = RATE_LIMITS[name];
		scaled[name] = { max: Math.max(1, Math.ceil(max * count)), windowMs: windowMs * time };
	}
	return scaled;
}

const ROUTE_NAMES = new Map<Route, RouteName>(
	(Object.entries(ROUTES) as Array<[RouteName, Route]>).map(([name, route]) => [route, name]),
);

/** Arrival times of the requests one window counted for one key, oldest first. */
class Arrivals {
	private readonly times: number[] = [];

	/** How many still count at `now`. */
	count(now: number, windowMs: number): number {
		while (this.times.length > 0 && this.times[0] <= now - windowMs) this.times.shift();
		return this.times.length;
	}

	/** When the oldest that still counts stops counting. */
	oldestLeavesAt(windowMs: number): number {
		return this.times[0] + windowMs;
	}

	add(now: number): void {
		this.times.push(now);
	}
}

/**
 * The API's sliding windows, per API key, all at once: a request is accepted only when every window it counts in has
 * room, and then counts in each; a refused one counts in none and learns the whole seconds until it would fit.
 */
export class RateLimiter {
	private readonly limits: Partial<Record<RateWindowName, RateLimit>> = {};
	private readonly arrivals = new Map<string, Arrivals>();

	/** `now` in milliseconds: real elapsed time by default, whatever the emulator's clock for timestamps says. */
	constructor(
		overrides: RateLimitOverrides = {},
		private readonly now: () => number = Date.now,
		private readonly unlimitedKeys: ReadonlySet<string> = new Set(),
	) {
		for (const name of Object.keys(RATE_LIMITS) as RateWindowName[]) {
			const limit = name in overrides ? overrides[name] : RATE_LIMITS[name];
			if (limit !== null && limit !== undefined)
				this.limits[name] = { max: limit.max, windowMs: limit.windowMs };
		}
	}

	/** Counts a request of this route; when a window is full, the whole seconds to wait instead (at least 1). */
	take(apiKey: string, route: Route): { retryAfterSeconds: number } | undefined {
		if (this.unlimitedKeys.has(apiKey)) return undefined;
		const now = this.now();
		const counted: Array<{ arrivals: Arrivals; limit: RateLimit }> = [];
		for (const name of rateWindowsOf(ROUTE_NAMES.get(route))) {
			const limit = this.limits[name];
			if (limit === undefined) continue;
			const key = `${name}\n${apiKey}`;
			let arrivals = this.arrivals.get(key);
			if (arrivals === undefined) {
				arrivals = new Arrivals();
				this.arrivals.set(key, arrivals);
			}
			counted.push({ arrivals, limit });
		}
		let fitsAt = now;
		for (const { arrivals, limit } of counted) {
			if (arrivals.count(now, limit.windowMs) >= limit.max) {
				fitsAt = Math.max(fitsAt, arrivals.oldestLeavesAt(limit.windowMs));
			}
		}
		if (fitsAt > now) return { retryAfterSeconds: Math.max(1, Math.ceil((fitsAt - now) / 1000)) };
		for (const { arrivals } of counted) arrivals.add(now);
		return undefined;
	}
}
