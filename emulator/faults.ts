/** Fault injection per route, for tests of a client's retries, timeouts and idempotency. */
import { createHash } from 'node:crypto';

import { HEADERS } from '../nodes/PrivCards/contract';
import type { HttpMethod } from '../nodes/PrivCards/contract';
import { ApiError, slugForStatus } from './api-error';
import { matchPath } from './router';

export interface FaultSpec {
	/** Any method when left out. */
	method?: HttpMethod;
	/** Relative to the base URL; a `*` or `{name}` segment matches any one segment: `/cards/{cardId}/fund`. */
	path: string;
	/** How many matching requests it hits (default 1). */
	times?: number;
	/** Answer this status instead of processing the request (no effect, the idempotency key stays free). */
	status?: number;
	/** The error slug of that answer (default: the contract's slug for the status). */
	error?: string;
	message?: string;
	/** A raw JSON body to answer instead of the error body. */
	body?: unknown;
	/** Adds `Retry-After: <seconds>` to that answer. */
	retryAfterSeconds?: number;
	/** Latency before the request is processed, with its idempotency key already claimed. */
	delayMs?: number;
	/**
	 * Destroy the connection without an answer: `beforeProcessing` with no effect, `afterCommit` once the effect
	 * is applied and the idempotent answer kept, as when a response is lost on its way back.
	 */
	resetConnection?: 'beforeProcessing' | 'afterCommit';
}

export interface InjectedFault {
	readonly spec: Readonly<FaultSpec>;
	/** Matching requests it will still hit. */
	readonly remaining: number;
}

/** What a random fault does to the request it hits. */
export const RANDOM_FAULT_KINDS = [
	'resetBeforeProcessing',
	'resetAfterCommit',
	'status500',
	'status503',
	'status429',
	'slow',
] as const;
type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];
export type FaultCounts = Record<RandomFaultKind, number>;

export interface RandomFaultOptions {
	seed: number;
	/** The share of requests hit, in [0, 1]. */
	rate: number;
	/** Default: every kind, equally likely. */
	kinds?: readonly RandomFaultKind[];
	/** How late a `slow` answer comes (default 35 s: past the node's 30 s timeout). The effect is applied after it. */
	slowMs?: number;
	/** The `Retry-After` of a `status429` (default 1). */
	retryAfterSeconds?: number;
}

export interface FaultInjector {
	inject(spec: FaultSpec): InjectedFault;
	/**
	 * From now on, faults a seeded share of the requests no injected fault matches. Whether a request is hit
	 * depends only on the seed, its method and idempotency key (its path when it has none), and how many such
	 * requests came before it: not on timing, so one seed hits the same keyed requests of a run whatever order
	 * concurrent requests arrive in.
	 */
	randomize(options: RandomFaultOptions): void;
	/** Random faults dealt since `randomize`, by kind. */
	readonly counts: Readonly<FaultCounts>;
	/** Removes every injected fault and stops random ones. */
	clear(): void;
}

interface ActiveFault extends InjectedFault {
	remaining: number;
}

function checkSpec(spec: FaultSpec): void {
	const times = spec.times ?? 1;
	if (!Number.isInteger(times) || times < 1)
		throw new Error('fault "times" must be a whole number ≥ 1');
	if (spec.status !== undefined && spec.resetConnection !== undefined) {
		throw new Error('a fault either answers a status or resets the connection, not both');
	}
	if (
		spec.status === undefined &&
		spec.resetConnection === undefined &&
		spec.delayMs === undefined
	) {
		throw new Error('a fault needs a status, a resetConnection or a delayMs');
	}
	if (spec.status !== undefined && (spec.status < 100 || spec.status > 599)) {
		throw new Error('fault "status" must be an HTTP status');
	}
}

const DEFAULT_SLOW_MS = 35_000;

function noFaults(): FaultCounts {
	return Object.fromEntries(RANDOM_FAULT_KINDS.map((kind) => [kind, 0])) as FaultCounts;
}

function randomFaultSpec(kind: RandomFaultKind, options: RandomFaultOptions): FaultSpec {
	switch (kind) {
		case 'resetBeforeProcessing':
			return { path: '*', resetConnection: 'beforeProcessing' };
		case 'resetAfterCommit':
			return { path: '*', resetConnection: 'afterCommit' };
		case 'status500':
			return { path: '*', status: 500 };
		case 'status503':
			return { path: '*', status: 503 };
		case 'status429':
			return { path: '*', status: 429, retryAfterSeconds: options.retryAfterSeconds ?? 1 };
		case 'slow':
			return { path: '*', delayMs: options.slowMs ?? DEFAULT_SLOW_MS };
	}
}

/** Two numbers in [0, 1) drawn from the seed and the request's identity. */
function draws(seed: number, identity: string): [number, number] {
	const digest = createHash('sha256').update(`${seed}\n${identity}`).digest();
	return [digest.readUInt32BE(0) / 2 ** 32, digest.readUInt32BE(4) / 2 ** 32];
}

class RandomFaults {
	readonly counts = noFaults();
	private readonly seen = new Map<string, number>();
	private readonly kinds: readonly RandomFaultKind[];

	constructor(private readonly options: RandomFaultOptions) {
		if (!(options.rate >= 0 && options.rate <= 1))
			throw new Error('fault "rate" must be in [0, 1]');
		this.kinds = options.kinds ?? RANDOM_FAULT_KINDS;
		if (this.kinds.length === 0) throw new Error('random faults need at least one kind');
	}

	take(method: string, path: string, idempotencyKey: string | null): FaultSpec | undefined {
		// A keyed request is named by its key alone: a path holds the emulator's random IDs, a key need not.
		const request =
			idempotencyKey === null ? `${method} ${path}` : `${method} key ${idempotencyKey}`;
		const occurrence = (this.seen.get(request) ?? 0) + 1;
		this.seen.set(request, occurrence);
		const [hit, pick] = draws(this.options.seed, `${request} #${occurrence}`);
		if (hit >= this.options.rate) return undefined;
		const kind = this.kinds[Math.floor(pick * this.kinds.length)];
		this.counts[kind] += 1;
		return randomFaultSpec(kind, this.options);
	}
}

export class Faults implements FaultInjector {
	private active: ActiveFault[] = [];
	private random: RandomFaults | undefined;

	randomize(options: RandomFaultOptions): void {
		this.random = new RandomFaults(options);
	}

	get counts(): Readonly<FaultCounts> {
		return this.random?.counts ?? noFaults();
	}

	inject(spec: FaultSpec): InjectedFault {
		checkSpec(spec);
		const fault: ActiveFault = { spec: { ...spec }, remaining: spec.times ?? 1 };
		this.active.push(fault);
		return fault;
	}

	clear(): void {
		for (const fault of this.active) fault.remaining = 0;
		this.active = [];
		this.random = undefined;
	}

	/** The first injected fault that matches this request, counted as used; else a random one, if any. */
	take(method: string, path: string, idempotencyKey: string | null): FaultSpec | undefined {
		const fault = this.active.find(
			({ spec }) =>
				(spec.method === undefined || spec.method === method) &&
				matchPath(spec.path, path) !== undefined,
		);
		if (fault === undefined) return this.random?.take(method, path, idempotencyKey);
		fault.remaining -= 1;
		if (fault.remaining === 0) this.active = this.active.filter((active) => active !== fault);
		return fault.spec;
	}
}

/** The error a status fault answers with, when it gives no raw body. */
export function injectedError(spec: FaultSpec & { status: number }): ApiError {
	const headers: Record<string, string> =
		spec.retryAfterSeconds === undefined
			? {}
			: { [HEADERS.retryAfter]: String(spec.retryAfterSeconds) };
	const message = spec.message ?? `Injected fault: HTTP ${spec.status}.`;
	return new ApiError(
		spec.status,
		spec.error ?? slugForStatus(spec.status),
		message,
		undefined,
		headers,
	);
}
