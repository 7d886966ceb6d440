/**
 * Events and their webhook deliveries: each event is POSTed to every subscribed endpoint, signed with
 * HMAC-SHA256 of the exact body, and retried on the contract's schedule (scaled for tests) until a 2xx.
 */
import { createHmac } from 'node:crypto';

import { ALL_EVENTS, HEADERS, WEBHOOK_DELIVERY } from '../nodes/PrivCards/contract';
import type { EventType, WebhookEvent } from '../nodes/PrivCards/contract';
import { newId } from './ids';
import type { Store, WebhookRecord } from './store';
import { isoTime } from './time';
import type { Timers } from './timers';

export interface DeliveryAttempt {
	endpointId: string;
	url: string;
	eventId: string;
	eventType: string;
	/** 1 for the first try, up to 5. */
	attempt: number;
	/** The receiver's HTTP status, or null when none came. */
	status: number | null;
	/** Why no status came (refused, timed out, emulator stopped), else null. */
	error: string | null;
	/** When the attempt started, in epoch milliseconds. */
	startedAt: number;
}

/** Lowercase hex of HMAC-SHA256 over the raw body, keyed with the endpoint's secret. */
function signPayload(rawBody: string, secret: string): string {
	return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

const TIMEOUT_MS = WEBHOOK_DELIVERY.responseTimeoutSeconds * 1000;

/** The network code (ECONNREFUSED…) or message of a failed POST; duck-typed, as fetch's errors may come from another realm. */
function describeFailure(error: unknown): string {
	const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown } };
	if (typeof cause?.code === 'string') return cause.code;
	return typeof message === 'string' ? message : String(error);
}

/** One event on its way to one endpoint: every attempt sends the same bytes. */
interface Delivery {
	endpoint: WebhookRecord;
	event: WebhookEvent;
	rawBody: string;
}

export class EventDispatcher {
	readonly events: WebhookEvent[] = [];
	readonly attempts: DeliveryAttempt[] = [];
	private readonly running = new Map<AbortController, Promise<void>>();
	/** Attempts running or waiting for their retry time. */
	private pending = 0;
	private idleWaiters: Array<() => void> = [];
	private stopped = false;

	constructor(
		private readonly store: Store,
		private readonly timers: Timers,
		private readonly retryFactor: number,
	) {}

	emit(type: EventType, data: WebhookEvent['data']): void {
		const event: WebhookEvent = {
			id: newId('event'),
			type,
			created_at: isoTime(this.store.now()),
			data,
		};
		this.events.push(event);
		const rawBody = JSON.stringify(event);
		for (const endpoint of this.store.webhooks.values()) {
			if (endpoint.events.includes(type) || endpoint.events.includes(ALL_EVENTS)) {
				this.deliver({ endpoint, event, rawBody }, 1);
			}
		}
	}

	/** Resolves once no delivery is running or waiting to be retried. */
	async idle(): Promise<void> {
		if (this.pending === 0 || this.stopped) return;
		await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
	}

	/** Aborts running deliveries and waits for them; the caller cancels the retry timers. */
	async stop(): Promise<void> {
		this.stopped = true;
		for (const controller of this.running.keys()) controller.abort(new Error('emulator stopped'));
		await Promise.all(this.running.values());
		this.wakeIdleWaiters();
	}

	private deliver(delivery: Delivery, attempt: number): void {
		this.pending += 1;
		const controller = new AbortController();
		const startedAt = Date.now();
		const run = this.post(delivery, controller).then((outcome) => {
			this.running.delete(controller);
			const { endpoint, event } = delivery;
			this.attempts.push({
				endpointId: endpoint.id,
				url: endpoint.url,
				eventId: event.id,
				eventType: event.type,
				attempt,
				...outcome,
				startedAt,
			});
			const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
			if (!delivered) this.retryLater(delivery, attempt);
			this.pending -= 1;
			if (this.pending === 0) this.wakeIdleWaiters();
		});
		this.running.set(controller, run);
	}

	/** Schedules the next attempt on the scaled schedule, while attempts remain and the endpoint exists. */
	private retryLater(delivery: Delivery, attempt: number): void {
		const delaySeconds = WEBHOOK_DELIVERY.retryDelaysSeconds[attempt - 1];
		if (
			delaySeconds === undefined ||
			this.stopped ||
			!this.store.webhooks.has(delivery.endpoint.id)
		) {
			return;
		}
		this.pending += 1;
		this.timers.after(delaySeconds * 1000 * this.retryFactor, () => {
			this.pending -= 1;
			this.deliver(delivery, attempt + 1);
		});
	}

	private async post(
		{ endpoint, event, rawBody }: Delivery,
		controller: AbortController,
	): Promise<Pick<DeliveryAttempt, 'status' | 'error'>> {
		const cancelTimeout = this.timers.after(TIMEOUT_MS, () =>
			controller.abort(new Error(`no answer within ${WEBHOOK_DELIVERY.responseTimeoutSeconds} s`)),
		);
		try {
			const response = await fetch(endpoint.url, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					[HEADERS.signature]: signPayload(rawBody, endpoint.secret),
					[HEADERS.event]: event.type,
					[HEADERS.delivery]: event.id,
				},
				body: rawBody,
				redirect: 'manual',
				signal: controller.signal,
			});
			await response.arrayBuffer();
			return { status: response.status, error: null };
		} catch (error) {
			return { status: null, error: describeFailure(error) };
		} finally {
			cancelTimeout();
		}
	}

	private wakeIdleWaiters(): void {
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const wake of waiters) wake();
	}
}
