import { WEBHOOK_DELIVERY, WEBHOOK_RETRY_HORIZON_SECONDS } from '../contract';

/** Event id → the event's `created_at`, in epoch seconds. */
export type SeenEvents = Record<string, number>;

/**
 * The most event ids kept. Static data is stored with the workflow and written back on every accepted delivery,
 * so the set is bounded: about 30 bytes an id, about 30 kB at most.
 */
export const MAX_SEEN_EVENTS = 1000;

/** The latest an attempt can start after its event was created: every retry delay plus every earlier timeout. */
export const LATEST_DELIVERY_SECONDS =
	WEBHOOK_RETRY_HORIZON_SECONDS +
	WEBHOOK_DELIVERY.retryDelaysSeconds.length * WEBHOOK_DELIVERY.responseTimeoutSeconds;

/**
 * Twice the latest delivery, rounded up to whole hours (6 hours with the contract's 2.6-hour schedule): a
 * delivery retried after n8n was down for the whole schedule is still inside the window, with as much again
 * for clock skew and queueing.
 */
export const DEFAULT_TOLERANCE_MINUTES = Math.ceil((2 * LATEST_DELIVERY_SECONDS) / 3600) * 60;

export type ReplayVerdict = 'fresh' | 'stale' | 'replayed';

function hasOwn(record: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(record, key);
}

/**
 * `stale` when `created_at` is further than the tolerance from now (either way: a clock far ahead is as
 * suspicious as one far behind), `replayed` when the id was already accepted, else `fresh`.
 */
export function replayVerdict(
	seen: SeenEvents,
	eventId: string,
	createdAtMs: number,
	nowMs: number,
	toleranceSeconds: number,
): ReplayVerdict {
	if (Math.abs(nowMs - createdAtMs) > toleranceSeconds * 1000) return 'stale';
	if (hasOwn(seen, eventId)) return 'replayed';
	return 'fresh';
}

/**
 * The seen set with `eventId` added. Ids whose `created_at` has left the window are dropped (a replay of them
 * is already refused as stale); beyond `max`, the oldest go first.
 */
export function rememberEvent(
	seen: SeenEvents,
	eventId: string,
	createdAtMs: number,
	nowMs: number,
	toleranceSeconds: number,
	max: number = MAX_SEEN_EVENTS,
): SeenEvents {
	const oldestKept = Math.floor(nowMs / 1000) - toleranceSeconds;
	const entries = Object.entries(seen).filter(
		([id, createdAt]) => id !== eventId && Number.isFinite(createdAt) && createdAt >= oldestKept,
	);
	entries.push([eventId, Math.floor(createdAtMs / 1000)]);
	entries.sort((left, right) => left[1] - right[1]);
	return Object.fromEntries(entries.slice(-max));
}
