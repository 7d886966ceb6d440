import { WEBHOOK_DELIVERY, WEBHOOK_RETRY_HORIZON_SECONDS } from '../../nodes/PrivCards/contract';
import {
	DEFAULT_TOLERANCE_MINUTES,
	isWithinTolerance,
	LATEST_DELIVERY_SECONDS,
	RECENT_EVENTS_PER_TRIGGER,
	recentEventsOf,
} from '../../nodes/PrivCards/trigger';

const NOW = Date.parse('2026-04-15T12:00:00Z');
const MINUTE = 60_000;

describe('replay window', () => {
	it('outlasts the API’s whole retry schedule with at least as much again to spare', () => {
		const lastAttemptS =
			WEBHOOK_RETRY_HORIZON_SECONDS +
			WEBHOOK_DELIVERY.retryDelaysSeconds.length * WEBHOOK_DELIVERY.responseTimeoutSeconds;
		expect(LATEST_DELIVERY_SECONDS).toBe(lastAttemptS);
		expect(DEFAULT_TOLERANCE_MINUTES * 60).toBeGreaterThanOrEqual(2 * lastAttemptS);
		expect(DEFAULT_TOLERANCE_MINUTES).toBe(360);
	});

	it('keeps the last retry of an event (created 2.6 hours ago) inside the default window', () => {
		const createdAt = NOW - LATEST_DELIVERY_SECONDS * 1000;
		expect(isWithinTolerance(createdAt, NOW, DEFAULT_TOLERANCE_MINUTES * 60)).toBe(true);
	});

	it('puts an event outside the tolerance, either way, out of the window', () => {
		const tolerance = 10 * 60;
		expect(isWithinTolerance(NOW - 10 * MINUTE, NOW, tolerance)).toBe(true);
		expect(isWithinTolerance(NOW - 10 * MINUTE - 1, NOW, tolerance)).toBe(false);
		expect(isWithinTolerance(NOW + 10 * MINUTE + 1, NOW, tolerance)).toBe(false);
	});
});

describe('recent events of a trigger (process memory)', () => {
	let trigger = 0;
	const fresh = (): ReturnType<typeof recentEventsOf> => recentEventsOf(`replay-test-${++trigger}`);

	it('accepts an id once, and again only after its window passed', () => {
		const recent = fresh();
		expect(recent.claim('evt_a', NOW + MINUTE, NOW)).toBe(true);
		expect(recent.claim('evt_a', NOW + MINUTE, NOW + 1)).toBe(false);
		expect(recent.claim('evt_b', NOW + MINUTE, NOW + 1)).toBe(true);
		expect(recent.claim('evt_a', NOW + 3 * MINUTE, NOW + 2 * MINUTE)).toBe(true);
	});

	it('keeps triggers apart: the same id is new to another trigger', () => {
		expect(fresh().claim('evt_shared', NOW + MINUTE, NOW)).toBe(true);
		expect(fresh().claim('evt_shared', NOW + MINUTE, NOW)).toBe(true);
	});

	it('gives the same memory to the same trigger key', () => {
		const key = `replay-test-${++trigger}`;
		expect(recentEventsOf(key).claim('evt_a', NOW + MINUTE, NOW)).toBe(true);
		expect(recentEventsOf(key).claim('evt_a', NOW + MINUTE, NOW)).toBe(false);
	});

	it('stays bounded, forgetting the oldest accepted first', () => {
		const recent = fresh();
		let accepted = 0;
		for (let index = 0; index < RECENT_EVENTS_PER_TRIGGER + 50; index++) {
			if (recent.claim(`evt_${index}`, NOW + MINUTE, NOW)) accepted += 1;
		}
		expect(accepted).toBe(RECENT_EVENTS_PER_TRIGGER + 50);
		expect(recent.claim('evt_49', NOW + MINUTE, NOW)).toBe(true);
		expect(recent.claim(`evt_${RECENT_EVENTS_PER_TRIGGER + 49}`, NOW + MINUTE, NOW)).toBe(false);
	});
});
