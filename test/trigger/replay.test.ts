import { WEBHOOK_DELIVERY, WEBHOOK_RETRY_HORIZON_SECONDS } from '../../nodes/PrivCards/contract';
import {
	DEFAULT_TOLERANCE_MINUTES,
	LATEST_DELIVERY_SECONDS,
	MAX_SEEN_EVENTS,
	rememberEvent,
	replayVerdict,
} from '../../nodes/PrivCards/trigger';

const NOW = Date.parse('2026-04-15T12:00:00Z');
const MINUTE = 60_000;
const HOUR_S = 3600;

describe('replay window', () => {
	it('outlasts the API’s whole retry schedule with at least as much again to spare', () => {
		const lastAttemptS =
			WEBHOOK_RETRY_HORIZON_SECONDS +
			WEBHOOK_DELIVERY.retryDelaysSeconds.length * WEBHOOK_DELIVERY.responseTimeoutSeconds;
		expect(LATEST_DELIVERY_SECONDS).toBe(lastAttemptS);
		expect(DEFAULT_TOLERANCE_MINUTES * 60).toBeGreaterThanOrEqual(2 * lastAttemptS);
		expect(DEFAULT_TOLERANCE_MINUTES).toBe(360);
	});

	it('keeps the last retry of an event (created 2.6 hours ago) fresh by default', () => {
		const createdAt = NOW - LATEST_DELIVERY_SECONDS * 1000;
		expect(replayVerdict({}, 'evt_a', createdAt, NOW, DEFAULT_TOLERANCE_MINUTES * 60)).toBe(
			'fresh',
		);
	});

	it('calls an event outside the tolerance, either way, stale', () => {
		const tolerance = 10 * 60;
		expect(replayVerdict({}, 'evt_a', NOW - 10 * MINUTE, NOW, tolerance)).toBe('fresh');
		expect(replayVerdict({}, 'evt_a', NOW - 10 * MINUTE - 1, NOW, tolerance)).toBe('stale');
		expect(replayVerdict({}, 'evt_a', NOW + 10 * MINUTE + 1, NOW, tolerance)).toBe('stale');
		expect(replayVerdict({ evt_a: NOW / 1000 }, 'evt_a', NOW - 11 * MINUTE, NOW, tolerance)).toBe(
			'stale',
		);
	});

	it('calls a remembered id a replay', () => {
		const seen = rememberEvent({}, 'evt_a', NOW - MINUTE, NOW, HOUR_S);
		expect(replayVerdict(seen, 'evt_a', NOW - MINUTE, NOW + MINUTE, HOUR_S)).toBe('replayed');
		expect(replayVerdict(seen, 'evt_b', NOW - MINUTE, NOW + MINUTE, HOUR_S)).toBe('fresh');
		// Inherited object keys are not "seen".
		expect(replayVerdict(seen, 'constructor', NOW, NOW, HOUR_S)).toBe('fresh');
	});

	it('forgets ids whose created_at left the window (their replays are stale anyway)', () => {
		let seen = rememberEvent(
			{},
			'evt_old',
			NOW - 2 * HOUR_S * 1000,
			NOW - 2 * HOUR_S * 1000,
			HOUR_S,
		);
		seen = rememberEvent(seen, 'evt_new', NOW, NOW, HOUR_S);
		expect(Object.keys(seen)).toEqual(['evt_new']);
		expect(replayVerdict(seen, 'evt_old', NOW - 2 * HOUR_S * 1000, NOW, HOUR_S)).toBe('stale');
	});

	it('stays bounded, dropping the oldest first', () => {
		let seen = {};
		for (let index = 0; index < MAX_SEEN_EVENTS + 50; index++) {
			seen = rememberEvent(seen, `evt_${index}`, NOW + index * 1000, NOW, 24 * HOUR_S);
		}
		const ids = Object.keys(seen);
		expect(ids).toHaveLength(MAX_SEEN_EVENTS);
		expect(ids).not.toContain('evt_49');
		expect(ids).toContain('evt_50');
		expect(ids).toContain(`evt_${MAX_SEEN_EVENTS + 49}`);
	});

	it('does not count an id twice and skips malformed entries', () => {
		let seen = rememberEvent({ evt_x: Number.NaN }, 'evt_a', NOW, NOW, HOUR_S);
		seen = rememberEvent(seen, 'evt_a', NOW, NOW, HOUR_S);
		expect(seen).toEqual({ evt_a: NOW / 1000 });
	});
});
