/** Network latency per route, a fixed delay plus a random jitter: benchmarks and trials that model a real network. */
import type { HttpMethod } from '../nodes/PrivCards/contract';
import { matchPath } from './router';
import type { Timers } from './timers';

export interface LatencyRule {
	/** Any method when left out. */
	method?: HttpMethod;
	/** Every path when left out; otherwise as a fault's path: `/cards/{cardId}/fund`. */
	path?: string;
	/** Milliseconds every matching request waits before it is processed. */
	ms: number;
	/** Up to this many milliseconds more, uniformly at random, each request its own. Default 0. */
	jitterMs?: number;
}

function checkRule(rule: LatencyRule): void {
	for (const [name, value] of [
		['ms', rule.ms],
		['jitterMs', rule.jitterMs ?? 0],
	] as const) {
		if (!Number.isFinite(value) || value < 0)
			throw new Error(`latency "${name}" must be a number of milliseconds ≥ 0`);
	}
}

/** The first rule that matches a request sets its latency; none, none. */
export class Latency {
	private rules: readonly LatencyRule[] = [];

	constructor(
		private readonly timers: Timers,
		rules: readonly LatencyRule[] = [],
	) {
		this.set(rules);
	}

	/** Replaces every rule; `[]` turns latency off. */
	set(rules: readonly LatencyRule[]): void {
		rules.forEach(checkRule);
		this.rules = rules.map((rule) => ({ ...rule }));
	}

	get current(): readonly LatencyRule[] {
		return this.rules;
	}

	delayMs(method: string, path: string): number {
		const rule = this.rules.find(
			(candidate) =>
				(candidate.method === undefined || candidate.method === method) &&
				(candidate.path === undefined || matchPath(candidate.path, path) !== undefined),
		);
		if (rule === undefined) return 0;
		return rule.ms + Math.random() * (rule.jitterMs ?? 0);
	}

	async wait(method: string, path: string): Promise<void> {
		const ms = this.delayMs(method, path);
		if (ms > 0) await this.timers.sleep(ms);
	}
}
