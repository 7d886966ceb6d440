import { sleep } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { RATE_LIMITS } from '../contract';
import type { RouteName } from '../contract';

interface Budget {
	/** Requests the API accepts in any window. */
	max: number;
	windowMs: number;
}

const BUDGETS: Record<'cardDetails' | 'general', Budget> = {
	cardDetails: { max: RATE_LIMITS.cardDetailsPerMinute, windowMs: 60_000 },
	general: { max: RATE_LIMITS.otherRequestsPerSecond, windowMs: 1_000 },
};

/**
 * The API counts a request when it arrives, which is somewhere between when it was sent and when it was answered.
 * So a request holds its place in the window from its start until a full window after its answer: never more than
 * `max` can have arrived in any window of the API's. Its allowance halves on every 429 and grows back by one with
 * every other answer (additive increase, multiplicative decrease), never above the API's limit.
 */
class Window {
	private running = 0;
	/** When the answered requests leave the window, oldest first. */
	private readonly leaving: number[] = [];
	private allowance: number;

	constructor(private readonly budget: Budget) {
		this.allowance = budget.max;
	}

	/** Milliseconds until one more request may start: 0 now, undefined once a running request is answered. */
	waitMs(now: number): number | undefined {
		while (this.leaving.length > 0 && this.leaving[0] <= now) this.leaving.shift();
		const over = this.running + this.leaving.length - this.allowance;
		if (over < 0) return 0;
		return over < this.leaving.length ? this.leaving[over] - now : undefined;
	}

	start(): void {
		this.running++;
	}

	answered(now: number): void {
		this.running--;
		this.leaving.push(now + this.budget.windowMs);
	}

	slowDown(): void {
		this.allowance = Math.max(1, Math.floor(this.allowance / 2));
	}

	speedUp(): void {
		this.allowance = Math.min(this.budget.max, this.allowance + 1);
	}
}

/** What a started request reports when it is over. */
export interface Slot {
	/** A 429: no request of this key starts for `retryAfterMs`, and this route's allowance halves. */
	rateLimited(retryAfterMs: number): void;
	/** Any answer but a 429: this route's allowance grows back. */
	answered(): void;
	/** No answer (a connection failure). */
	failed(): void;
}

/** The rate budget of one API key at one base URL, shared by every execution in this process. */
export class RateLimiter {
	private pausedUntil = 0;
	private readonly windows = { cardDetails: new Window(BUDGETS.cardDetails), general: new Window(BUDGETS.general) };
	private wakeWaiters: Array<() => void> = [];

	/** Resolves when a request of this route may start, and counts it as started. */
	async acquire(route: RouteName): Promise<Slot> {
		const window = route === 'getCardDetails' ? this.windows.cardDetails : this.windows.general;
		for (;;) {
			const now = Date.now();
			const windowWaitMs = window.waitMs(now);
			const waitMs = Math.max(this.pausedUntil - now, windowWaitMs ?? 0);
			if (waitMs <= 0 && windowWaitMs !== undefined) break;
			if (waitMs > 0) await sleep(Math.ceil(waitMs));
			else await new Promise<void>((wake) => this.wakeWaiters.push(wake));
		}
		window.start();
		const end = (): void => {
			window.answered(Date.now());
			const waiters = this.wakeWaiters;
			this.wakeWaiters = [];
			for (const wake of waiters) wake();
		};
		return {
			rateLimited: (retryAfterMs) => {
				this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
				window.slowDown();
				end();
			},
			answered: () => {
				window.speedUp();
				end();
			},
			failed: end,
		};
	}
}

const limiters = new Map<string, RateLimiter>();

/** The process's limiter for this key at this base URL, found by a hash: the key itself is never kept. */
export function rateLimiterFor(baseUrl: string, apiKey: string): RateLimiter {
	const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let limiter = limiters.get(id);
	if (limiter === undefined) {
		limiter = new RateLimiter();
		limiters.set(id, limiter);
	}
	return limiter;
}
