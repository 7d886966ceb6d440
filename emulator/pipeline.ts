/**
 * One request, start to answer: log, latency, authentication, route, sandbox-only check, rate limits, body, idempotency
 * claim, injected faults, the handler, and the answer (or a reset connection).
 */
import {
	DEFAULT_BASE_URL,
	ERROR_SLUGS,
	HEADERS,
	IDEMPOTENCY_KEY_MAX_LENGTH,
	TEST_KEY_PREFIX,
} from '../nodes/PrivCards/contract';
import { ApiError, invalidRequest } from './api-error';
import type { EventDispatcher } from './deliveries';
import { injectedError, type Faults, type FaultSpec } from './faults';
import {
	requestFingerprint,
	type IdempotencyClaim,
	type IdempotencyStore,
	type StoredAnswer,
} from './idempotency';
import { newId } from './ids';
import type { Latency } from './latency';
import type { RateLimiter } from './rate-limit';
import { headerValue, redactedHeaders, type LoggedRequest, type RawHeaders } from './request-log';
import { findRoute, type MatchedRoute } from './router';
import type { Store } from './store';
import type { Timers } from './timers';
import type { EmulatorState } from './views';

export interface IncomingRequest {
	method: string;
	/** Path and query, as on the request line. */
	url: string;
	headers: RawHeaders;
	rawBody: string;
}

export type Outcome =
	| { kind: 'answer'; status: number; headers: Record<string, string>; body: string }
	| { kind: 'reset' };

export interface PipelineParts {
	apiKeys: ReadonlySet<string>;
	store: Store;
	state: EmulatorState;
	events: EventDispatcher;
	idempotency: IdempotencyStore;
	faults: Faults;
	latency: Latency;
	timers: Timers;
	rateLimiter: RateLimiter;
	log: LoggedRequest[];
}

/** `/v1`: the emulator serves the contract's paths under the same prefix as the real base URL. */
export const API_PREFIX = new URL(DEFAULT_BASE_URL).pathname;

interface ParsedBody {
	value: unknown;
	error?: ApiError;
}

function parseBody(rawBody: string, contentType: string | undefined): ParsedBody {
	if (rawBody.trim() === '') return { value: undefined };
	if (contentType === undefined || !/^application\/json\s*(;|$)/i.test(contentType)) {
		return {
			value: rawBody,
			error: invalidRequest('The request body must be JSON, sent as application/json.'),
		};
	}
	try {
		return { value: JSON.parse(rawBody) };
	} catch {
		return { value: rawBody, error: invalidRequest('The request body is not valid JSON.') };
	}
}

/** The API key of `Authorization: Bearer <key>`, or the contract's 401. */
function authenticate(authorization: string | undefined, apiKeys: ReadonlySet<string>): string {
	const bearer = /^Bearer(?:\s+(\S*))?$/i.exec(authorization?.trim() ?? '');
	const token = bearer?.[1] ?? '';
	if ((authorization ?? '').trim() === '' || (bearer !== null && token === '')) {
		throw new ApiError(
			401,
			ERROR_SLUGS.missingApiKey,
			'No API key: send "Authorization: Bearer <key>".',
		);
	}
	if (!apiKeys.has(token))
		throw new ApiError(401, ERROR_SLUGS.invalidApiKey, 'The API key is not valid.');
	return token;
}

function json(
	status: number,
	body: string,
	requestId: string,
	headers: Record<string, string> = {},
): Outcome {
	return {
		kind: 'answer',
		status,
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			[HEADERS.requestId]: requestId,
			...headers,
		},
		body,
	};
}

/** A bug in the emulator: a 500 that says what broke, so the test that met it can tell. */
function internalError(error: unknown): ApiError {
	const reason = error instanceof Error ? error.message : String(error);
	return new ApiError(500, ERROR_SLUGS.internalError, `The emulator failed: ${reason}`);
}

function errorOutcome(error: ApiError, requestId: string): Outcome {
	return json(error.status, JSON.stringify(error.body(requestId)), requestId, { ...error.headers });
}

function faultOutcome(fault: FaultSpec, requestId: string): Outcome {
	if (fault.status === undefined) return { kind: 'reset' };
	const error = injectedError({ ...fault, status: fault.status });
	if (fault.body === undefined) return errorOutcome(error, requestId);
	return json(fault.status, JSON.stringify(fault.body), requestId, { ...error.headers });
}

export class Pipeline {
	constructor(private readonly parts: PipelineParts) {}

	async handle(request: IncomingRequest): Promise<Outcome> {
		const requestId = newId('request');
		const url = new URL(request.url, 'http://emulator.invalid');
		const inApi = url.pathname.startsWith(`${API_PREFIX}/`);
		const body = parseBody(request.rawBody, headerValue(request.headers, 'content-type'));
		const entry: LoggedRequest = {
			requestId,
			method: request.method,
			path: inApi ? url.pathname.slice(API_PREFIX.length) : url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: redactedHeaders(request.headers),
			body: body.value,
			idempotencyKey: headerValue(request.headers, HEADERS.idempotencyKey) ?? null,
			status: null,
			replayed: false,
			connectionReset: false,
			receivedAtMs: performance.now(),
			answeredAtMs: null,
		};
		this.parts.log.push(entry);
		let outcome: Outcome;
		try {
			if (!inApi)
				throw new ApiError(404, ERROR_SLUGS.notFound, `The API lives under ${API_PREFIX}.`);
			outcome = await this.process(entry, request.headers, body);
		} catch (error) {
			const apiError = error instanceof ApiError ? error : internalError(error);
			outcome = errorOutcome(apiError, requestId);
		}
		if (outcome.kind === 'answer') entry.status = outcome.status;
		else entry.connectionReset = true;
		entry.answeredAtMs = performance.now();
		return outcome;
	}

	private async process(
		entry: LoggedRequest,
		headers: RawHeaders,
		body: ParsedBody,
	): Promise<Outcome> {
		const { requestId, method, path } = entry;
		await this.parts.latency.wait(method, path);
		const apiKey = authenticate(headerValue(headers, 'authorization'), this.parts.apiKeys);
		const route = findRoute(method, path);
		if (route === undefined)
			throw new ApiError(404, ERROR_SLUGS.notFound, `No route ${method} ${path}.`);
		if (route.sandboxOnly && !apiKey.startsWith(TEST_KEY_PREFIX)) {
			throw new ApiError(
				403,
				ERROR_SLUGS.forbidden,
				`Only ${TEST_KEY_PREFIX} keys may call ${path}.`,
			);
		}
		this.enforceRateLimit(apiKey, route);
		if (body.error !== undefined) throw body.error;
		const claim = this.claimIdempotencyKey(apiKey, entry, body.value);
		const fault = this.parts.faults.take(method, path, entry.idempotencyKey);
		if (fault?.delayMs !== undefined) await this.parts.timers.sleep(fault.delayMs);
		if (
			fault !== undefined &&
			(fault.status !== undefined || fault.resetConnection === 'beforeProcessing')
		) {
			claim?.settle(undefined);
			return faultOutcome(fault, requestId);
		}
		const answer = claim?.replay ?? this.run(route, entry, body.value, claim);
		entry.replayed = claim?.replay !== undefined;
		if (fault?.resetConnection === 'afterCommit') {
			entry.status = answer.status;
			return { kind: 'reset' };
		}
		const replayHeaders: Record<string, string> = entry.replayed
			? { [HEADERS.idempotentReplayed]: 'true' }
			: {};
		return json(answer.status, answer.body, requestId, replayHeaders);
	}

	private enforceRateLimit(apiKey: string, route: MatchedRoute): void {
		const refusal = this.parts.rateLimiter.take(apiKey, route.binding.route);
		if (refusal === undefined) return;
		throw new ApiError(429, ERROR_SLUGS.rateLimited, 'Too many requests: slow down.', undefined, {
			[HEADERS.retryAfter]: String(refusal.retryAfterSeconds),
		});
	}

	/** A POST's `X-Idempotency-Key`, claimed for this API key; other methods ignore the header. */
	private claimIdempotencyKey(
		apiKey: string,
		entry: LoggedRequest,
		body: unknown,
	): IdempotencyClaim | undefined {
		const key = entry.idempotencyKey;
		if (entry.method !== 'POST' || key === null) return undefined;
		if (key === '' || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
			throw invalidRequest(
				`${HEADERS.idempotencyKey} must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`,
				HEADERS.idempotencyKey,
			);
		}
		return this.parts.idempotency.claim(
			apiKey,
			key,
			requestFingerprint(entry.method, entry.path, body),
		);
	}

	/** Runs the handler; the idempotency claim keeps a success and frees the key on an error. */
	private run(
		route: MatchedRoute,
		entry: LoggedRequest,
		body: unknown,
		claim: IdempotencyClaim | undefined,
	): StoredAnswer {
		let answer: StoredAnswer | undefined;
		try {
			const reply = route.binding.handle({
				params: route.params,
				query: entry.query,
				body,
				store: this.parts.store,
				state: this.parts.state,
				events: this.parts.events,
			});
			answer = { status: reply.status, body: JSON.stringify(reply.body) };
			return answer;
		} finally {
			claim?.settle(answer);
		}
	}
}
