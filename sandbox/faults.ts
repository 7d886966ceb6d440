/** Fault injection per route, for tests of a client's retries, timeouts and idempotency. */
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

export interface FaultInjector {
	inject(spec: FaultSpec): InjectedFault;
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

export class Faults implements FaultInjector {
	private active: ActiveFault[] = [];

	inject(spec: FaultSpec): InjectedFault {
		checkSpec(spec);
		const fault: ActiveFault = { spec: { ...spec }, remaining: spec.times ?? 1 };
		this.active.push(fault);
		return fault;
	}

	clear(): void {
		for (const fault of this.active) fault.remaining = 0;
		this.active = [];
	}

	/** The first fault that matches this request, counted as used. */
	take(method: string, path: string): FaultSpec | undefined {
		const fault = this.active.find(
			({ spec }) =>
				(spec.method === undefined || spec.method === method) &&
				matchPath(spec.path, path) !== undefined,
		);
		if (fault === undefined) return undefined;
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
