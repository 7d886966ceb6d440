import { sleep } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { RATE_LIMITS, rateWindowsOf } from '../contract';
import type { RateWindowName, RouteName } from '../contract';

/** The windows a route has of its own (Get Details, card creates), apart from the key's every-request windows. */
const ROUTE_WINDOWS = new Set(
	(Object.keys(RATE_LIMITS) as RateWindowName[]).filter((name) => 'route' in RATE_LIMITS[name]),
);

/** The longest one sleep of a wait: a Stop is seen at least this often. */
const WAKE_EVERY_MS = 1_000;

/**
 * One of the API's windows for one key. The API counts a request when it arrives, which is somewhere between when it
 * was sent and when it was answered, so a request holds its place from its start until a full window after its answer:
 * never more than the limit can have arrived in any window of the API's. A 429 answered (a refused request counts in
 * none) frees its place at once. The allowance halves on the first 429 of a pause the window is blamed for, and grows back by one
 * with every other answer (additive increase, multiplicative decrease), never above the published limit: several n8n
 * processes on one key, which share no memory, converge on it that way.
 */
class Window {
	private running = 0;
	/** When the answered requests leave the window, oldest first. */
	private readonly leaving: number[] = [];
	private allowance: number;
	/** A 429's Retry-After: nothing counted in this window starts before it. */
	pausedUntil = 0;

	constructor(
		readonly name: RateWindowName,
		private readonly max: number,
		private readonly windowMs: number,
	) {
		this.allowance = max;
	}

	/**
	 * When one more request may start: `now` or later, at the end of a 429's pause or when an answered request leaves.
	 * When every place is held by a running request, the earliest it can be: a full window after now.
	 */
	freeAt(now: number): { at: number; known: boolean } {
		while (this.leaving.length > 0 && this.leaving[0] <= now) this.leaving.shift();
		const over = this.running + this.leaving.length - this.allowance;
		const paused = Math.max(now, this.pausedUntil);
		if (over < 0) return { at: paused, known: true };
		if (over < this.leaving.length)
			return { at: Math.max(paused, this.leaving[over]), known: true };
		return { at: Math.max(paused, now + this.windowMs), known: false };
	}

	start(): void {
		this.running++;
	}

	answered(now: number, counted: boolean): void {
		this.running--;
		if (counted) this.leaving.push(now + this.windowMs);
	}

	/** Halves the allowance once per pause: the other 429s of the same burst say nothing new. */
	rateLimited(now: number, until: number): void {
		if (now >= this.pausedUntil) this.allowance = Math.max(1, Math.floor(this.allowance / 2));
		this.pausedUntil = Math.max(this.pausedUntil, until);
	}

	speedUp(): void {
		this.allowance = Math.min(this.max, this.allowance + 1);
	}
}

/** What a started request reports when it is over. */
export interface Slot {
	/**
	 * A 429: no request counted in the window it is blamed on starts for `retryAfterMs` (the route's own window when it
	 * has one, as Get Details and card creates do, else the key's minute), and that window's allowance halves.
	 */
	rateLimited(retryAfterMs: number): void;
	/** Any answer but a 429: every window of the route wins allowance back. */
	answered(): void;
	/** No answer (a connection failure): the API may have counted it. */
	failed(): void;
}

/** Why a request was not started: the budget frees later than the run may wait, or the run was stopped. */
export class BudgetRefusal extends Error {
	constructor(
		readonly reason: 'wait' | 'stopped',
		/** When the budget frees (ms since the epoch), for 'wait'. */
		readonly freeAt = 0,
		/** The window that is spent, when the node's own count knows it. */
		readonly window?: RateWindowName,
	) {
		super(reason === 'stopped' ? 'The execution was stopped' : 'The rate budget is spent');
	}
}

export interface AcquireOptions {
	/** The latest moment (ms since the epoch) the request may start; past it, a BudgetRefusal says when it would. */
	deadline: number;
	/** The execution's cancel signal: once aborted, nothing more starts. */
	signal?: AbortSignal;
}

/** Resolves after `ms`, or within a second of the signal aborting (n8n's sleep cannot be cancelled: it is polled). */
export async function waitFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (signal === undefined) return await sleep(ms);
	const until = Date.now() + ms;
	for (let left = ms; left > 0 && signal?.aborted !== true; left = until - Date.now()) {
		await sleep(Math.min(left, WAKE_EVERY_MS));
	}
}

/**
 * The rate budget of one API key at one base URL, shared by every execution in this process: the API's every window
 * (the contract's RATE_LIMITS), each counted apart, and a request starts only when each window it counts in has room.
 */
/**
 * What a suite may shorten for the emulator it runs against, when it makes a key's limiter (see `rateLimiterFor`):
 * the windows, as a share of the published lengths, and how long one attempt may take before it is abandoned and
 * retried. The node never passes them.
 */
export interface ConnectionTuning {
	windowScale?: number;
	requestTimeoutMs?: number;
}

/** How long one attempt may take before it is abandoned and retried. */
const REQUEST_TIMEOUT_MS = 30_000;

export class RateLimiter {
	private readonly windows = new Map<RateWindowName, Window>();
	private wakeWaiters: Array<() => void> = [];
	readonly requestTimeoutMs: number;

	constructor({ windowScale = 1, requestTimeoutMs = REQUEST_TIMEOUT_MS }: ConnectionTuning) {
		this.requestTimeoutMs = requestTimeoutMs;
		for (const name of Object.keys(RATE_LIMITS) as RateWindowName[]) {
			const { max, windowMs } = RATE_LIMITS[name];
			this.windows.set(name, new Window(name, max, windowMs * windowScale));
		}
	}

	/**
	 * Resolves when a request of this route may start, and counts it as started; rejects with a BudgetRefusal at once
	 * when its own count shows the budget frees after the deadline, or when the signal aborts.
	 */
	async acquire(route: RouteName, { deadline, signal }: AcquireOptions): Promise<Slot> {
		const windows = rateWindowsOf(route).map((name) => this.windows.get(name) as Window);
		for (;;) {
			if (signal?.aborted === true) throw new BudgetRefusal('stopped');
			const now = Date.now();
			let latest = { at: now, known: true, window: windows[0] };
			for (const window of windows) {
				const free = window.freeAt(now);
				if (free.at > latest.at || (free.at === latest.at && !free.known))
					latest = { ...free, window };
			}
			if (latest.at > deadline) throw new BudgetRefusal('wait', latest.at, latest.window.name);
			if (latest.at <= now && latest.known) break;
			if (latest.known) await waitFor(latest.at - now, signal);
			else await this.nextAnswer(signal);
		}
		for (const window of windows) window.start();
		const blamed =
			windows.find((window) => ROUTE_WINDOWS.has(window.name)) ??
			(this.windows.get('minute') as Window);
		const end = (counted: boolean): void => {
			const now = Date.now();
			for (const window of windows) window.answered(now, counted);
			const waiters = this.wakeWaiters;
			this.wakeWaiters = [];
			for (const wake of waiters) wake();
		};
		return {
			rateLimited: (retryAfterMs) => {
				const now = Date.now();
				blamed.rateLimited(now, now + retryAfterMs);
				end(false);
			},
			answered: () => {
				for (const window of windows) window.speedUp();
				end(true);
			},
			failed: () => end(true),
		};
	}

	/** Resolves when a running request of this key is over, or within a second when the signal aborts. */
	private async nextAnswer(signal: AbortSignal | undefined): Promise<void> {
		let over = false;
		const answered = new Promise<void>((wake) =>
			this.wakeWaiters.push(() => {
				over = true;
				wake();
			}),
		);
		while (!over && signal?.aborted !== true) await Promise.race([answered, sleep(WAKE_EVERY_MS)]);
	}
}

const limiters = new Map<string, RateLimiter>();

/**
 * The process's limiter for this key at this base URL, found by a hash: the key itself is never kept. `tuning`
 * counts only when this call makes the limiter: the node never passes it (the published lengths, a 30 s attempt);
 * the test and soak suites call first with shorter ones, for an emulator with its windows and slow answers
 * shortened alike, so as not to wait real minutes and hours.
 */
export function rateLimiterFor(
	baseUrl: string,
	apiKey: string,
	tuning: ConnectionTuning = {},
): RateLimiter {
	const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let limiter = limiters.get(id);
	if (limiter === undefined) {
		limiter = new RateLimiter(tuning);
		limiters.set(id, limiter);
	}
	return limiter;
}
