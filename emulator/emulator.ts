/**
 * The offline PrivCards API emulator: the whole contract of docs/privcards-api.md over plain `node:http`, with state in
 * memory, a request log, fault injection and signed webhook deliveries. Start it on port 0 in tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

import { API_KEY_PREFIXES, TEST_KEY_PREFIX, toCents } from '../nodes/PrivCards/contract';
import type { WebhookEvent } from '../nodes/PrivCards/contract';
import { EventDispatcher, type DeliveryAttempt } from './deliveries';
import { seedDemoAccount } from './demo-account';
import { Faults, type FaultInjector } from './faults';
import { IdempotencyStore } from './idempotency';
import { Latency, type LatencyRule } from './latency';
import { API_PREFIX, Pipeline } from './pipeline';
import { RateLimiter, type RateLimitOverrides } from './rate-limit';
import type { LoggedRequest } from './request-log';
import { Store, type WebhookEndpointStyle } from './store';
import type { Clock } from './time';
import { Timers } from './timers';
import { stateView, type EmulatorState } from './views';

export type { LoggedRequest } from './request-log';
export type { LatencyRule } from './latency';
export { NO_RATE_LIMITS, scaledRateLimits } from './rate-limit';

/** The sandbox key the emulator accepts unless told otherwise: fixed, so `npm run sandbox` always prints it. */
export const SANDBOX_TEST_KEY = TEST_KEY_PREFIX + 'emulator0offline00000';

export interface EmulatorOptions {
	/** Default 0: a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Accepted API keys, each `sk_test_…` or `sk_live_…`, at least one `sk_test_…`. Default `[SANDBOX_TEST_KEY]`. */
	apiKeys?: readonly string[];
	/**
	 * true (the default, what tests assume): a bare account, no cards, transactions, challenges or deposits, and
	 * `walletBalance` in the wallet. false: the seeded demo account of demo-account.ts, as `npm run sandbox` and
	 * `npm start` open with (`walletBalance` is then ignored).
	 */
	empty?: boolean;
	/** The wallet's opening balance in USD, for a bare account. Default 10000. */
	walletBalance?: number;
	/**
	 * The rate-limit windows per API key (rate-limit.ts): the contract's (1,000 requests a minute, 10,000 an hour,
	 * 50 card creates and 30 Get Details a minute) unless overridden here, window by window; null turns one off.
	 */
	rateLimits?: RateLimitOverrides;
	/** The rate limits' clock in milliseconds. Default real time (`Date.now`), whatever `now` says. */
	rateLimitClock?: () => number;
	/** Keys no rate limit applies to: a bench's or a test's set-up key, so that its set-up spends nothing measured. */
	unlimitedKeys?: readonly string[];
	/** Scales the webhook retry schedule (1 min, 5 min, 30 min, 2 h); e.g. 0.001 in tests. Default 1. */
	deliveryRetryFactor?: number;
	/** Latency per route, the first matching rule each request's (see latency.ts). Default none. */
	latency?: readonly LatencyRule[];
	/** Drives every timestamp, idempotency expiry, 3DS expiry and spending month. Default the system clock. */
	now?: Clock;
	/** How the webhook routes store URLs and page lists, where a real API may differ. Default: as given, plainly. */
	webhookEndpoints?: WebhookEndpointStyle;
}

export interface Emulator {
	/** `http://127.0.0.1:<port>/v1`: the credential's base URL. */
	readonly baseUrl: string;
	readonly port: number;
	/** The first `sk_test_…` key of the options. */
	readonly testKey: string;
	/** Every request so far, oldest first. */
	readonly requests: readonly LoggedRequest[];
	clearRequests(): void;
	/** Every event emitted so far, oldest first. */
	readonly events: readonly WebhookEvent[];
	/** Every webhook delivery attempt that has finished, oldest first. */
	readonly deliveries: readonly DeliveryAttempt[];
	/** Resolves once no webhook delivery is running or waiting for a retry. */
	deliveriesSettled(): Promise<void>;
	readonly faults: FaultInjector;
	/** The latency rules in force. */
	readonly latency: readonly LatencyRule[];
	/** Replaces the latency rules, for the requests that arrive from now on; `[]` turns latency off. */
	setLatency(rules: readonly LatencyRule[]): void;
	/** Read-only snapshots of the state, for assertions without HTTP. */
	readonly state: EmulatorState;
	/** Closes the server and every connection, aborts deliveries and cancels every timer. */
	stop(): Promise<void>;
}

const DEFAULTS = {
	port: 0,
	host: '127.0.0.1',
	walletBalance: 10000,
	deliveryRetryFactor: 1,
} as const;

function checkedApiKeys(apiKeys: readonly string[]): {
	keys: ReadonlySet<string>;
	testKey: string;
} {
	const malformed = apiKeys.find(
		(key) => !API_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)),
	);
	if (malformed !== undefined)
		throw new Error(`API keys must start with ${API_KEY_PREFIXES.join(' or ')}`);
	const testKey = apiKeys.find((key) => key.startsWith(TEST_KEY_PREFIX));
	if (testKey === undefined)
		throw new Error(`The emulator needs at least one ${TEST_KEY_PREFIX} key`);
	return { keys: new Set(apiKeys), testKey };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const { keys, testKey } = checkedApiKeys(options.apiKeys ?? [SANDBOX_TEST_KEY]);
	const clock = options.now ?? (() => new Date());
	const timers = new Timers();
	const store = new Store(toCents(options.walletBalance ?? DEFAULTS.walletBalance), clock);
	if (options.empty === false) seedDemoAccount(store);
	store.webhookStyle = { ...options.webhookEndpoints };
	const state = stateView(store);
	const events = new EventDispatcher(
		store,
		timers,
		options.deliveryRetryFactor ?? DEFAULTS.deliveryRetryFactor,
	);
	const faults = new Faults();
	const latency = new Latency(timers, options.latency);
	const log: LoggedRequest[] = [];
	const pipeline = new Pipeline({
		apiKeys: keys,
		store,
		state,
		events,
		idempotency: new IdempotencyStore(clock),
		faults,
		latency,
		timers,
		rateLimiter: new RateLimiter(
			options.rateLimits,
			options.rateLimitClock,
			new Set(options.unlimitedKeys),
		),
		log,
	});

	async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const outcome = await pipeline.handle({
			method: request.method ?? 'GET',
			url: request.url ?? '/',
			headers: request.headers,
			rawBody: await text(request),
		});
		if (outcome.kind === 'reset') request.socket.resetAndDestroy();
		else response.writeHead(outcome.status, outcome.headers).end(outcome.body);
	}

	const server = createServer((request, response) => {
		// A client that hangs up mid-request leaves nothing to answer.
		serve(request, response).catch(() => request.socket.destroy());
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? DEFAULTS.port, options.host ?? DEFAULTS.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { address, port } = server.address() as AddressInfo;
	const urlHost = address.includes(':') ? `[${address}]` : address;

	let stopping: Promise<void> | undefined;
	async function stop(): Promise<void> {
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		await events.stop();
		timers.cancelAll();
		await closed;
	}

	return {
		baseUrl: `http://${urlHost}:${port}${API_PREFIX}`,
		port,
		testKey,
		requests: log,
		clearRequests: () => {
			log.length = 0;
		},
		events: events.events,
		deliveries: events.attempts,
		deliveriesSettled: () => events.idle(),
		faults,
		get latency() {
			return latency.current;
		},
		setLatency: (rules) => latency.set(rules),
		state,
		stop: () => (stopping ??= stop()),
	};
}
