import { WEBHOOK_DELIVERY, WEBHOOK_RETRY_HORIZON_SECONDS } from '../contract';

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

/**
 * Whether `created_at` is within the tolerance of now, either way: a clock far ahead is as suspicious as one far
 * behind. Outside it, a captured delivery can no longer be replayed, whatever the seen-event stores forgot.
 */
export function isWithinTolerance(
	createdAtMs: number,
	nowMs: number,
	toleranceSeconds: number,
): boolean {
	return Math.abs(nowMs - createdAtMs) <= toleranceSeconds * 1000;
}

/** How many event ids one trigger remembers in process memory, and how many triggers a process keeps apart. */
export const RECENT_EVENTS_PER_TRIGGER = 10_000;
const TRIGGERS_REMEMBERED = 500;

/**
 * The event ids a trigger accepted lately in this process, each until its `created_at` leaves the tolerance
 * window. A speed aid, not the guarantee: it answers a repeat that reaches the same n8n process at once, without
 * starting an execution. Repeats that reach another process (queue mode), or arrive after a restart, are dropped
 * by the trigger's step in the execution, against n8n's deduplication store.
 */
class RecentEvents {
	private readonly expiries = new Map<string, number>();

	constructor(private readonly capacity: number) {}

	/** True when `eventId` was not accepted before (and is now remembered); false for a repeat. */
	claim(eventId: string, expiresAtMs: number, nowMs: number): boolean {
		const knownUntil = this.expiries.get(eventId);
		if (knownUntil !== undefined && knownUntil >= nowMs) return false;
		this.expiries.delete(eventId);
		this.expiries.set(eventId, expiresAtMs);
		this.evict(nowMs);
		return true;
	}

	/** Forgets ids whose window has passed, then the oldest accepted beyond capacity (Maps keep insertion order). */
	private evict(nowMs: number): void {
		for (const [id, expiresAt] of this.expiries) {
			if (this.expiries.size <= this.capacity && expiresAt >= nowMs) break;
			if (expiresAt < nowMs || this.expiries.size > this.capacity) this.expiries.delete(id);
		}
	}
}

const recentByTrigger = new Map<string, RecentEvents>();

/** The recent-event memory of one trigger (one webhook URL); the least recently used triggers are forgotten. */
export function recentEventsOf(triggerKey: string): { claim: RecentEvents['claim'] } {
	let recent = recentByTrigger.get(triggerKey);
	if (recent === undefined) {
		recent = new RecentEvents(RECENT_EVENTS_PER_TRIGGER);
		if (recentByTrigger.size >= TRIGGERS_REMEMBERED) {
			const [leastRecent] = recentByTrigger.keys();
			recentByTrigger.delete(leastRecent);
		}
	} else {
		recentByTrigger.delete(triggerKey);
	}
	recentByTrigger.set(triggerKey, recent);
	return { claim: (eventId, expiresAtMs, nowMs) => recent.claim(eventId, expiresAtMs, nowMs) };
}
