import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import {
	API_KEY_PREFIXES,
	API_KEY_PREFIXES_TEXT,
	DEFAULT_BASE_URL,
	HEADERS,
	RATE_LIMITS,
	ROUTES,
} from '../contract';
import type { RouteName } from '../contract';
import { insecureUrlReason } from './baseUrl';
import { apiErrorFromResponse, networkError } from './errors';
import { buildPath } from './paths';
import type { PathParameters } from './paths';
import {
	backoffDelayMs,
	isRetryableNetworkError,
	isRetryableStatus,
	RETRY_POLICY,
	retryAfterMs,
} from './retry';
import { BudgetRefusal, rateLimiterFor, waitFor } from './rateLimit';
import type { RateLimiter, Slot } from './rateLimit';

export type PrivCardsContext =
	| IExecuteFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions;

export const CREDENTIAL_TYPE = 'privCardsApi';

export interface ApiRequest {
	route: RouteName;
	pathParameters?: PathParameters;
	query?: IDataObject;
	body?: IDataObject;
	/** Sent as X-Idempotency-Key on a POST; a POST without one gets a random key shared by its retries. */
	idempotencyKey?: string;
	itemIndex?: number;
	/** Told, on success, whether the API answered from its idempotency store (`Idempotent-Replayed: true`). */
	onReplayed?: (replayed: boolean) => void;
}

/**
 * How long one request may wait for the key's rate budget unless the node run sets it (Options → Rate Limit Wait): a
 * minute's window and then some. The trigger's hooks and the editor's lists wait this long.
 */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 300;

const rateLimitWaits = new WeakMap<PrivCardsContext, number>();

/** Sets how long each request of this node run may wait for the key's rate budget before it fails instead. */
export function setRateLimitWait(context: IExecuteFunctions, seconds: number): void {
	rateLimitWaits.set(context, seconds);
}

interface Connection {
	baseUrl: string;
	limiter: RateLimiter;
}

async function openConnection(
	context: PrivCardsContext,
	itemIndex: number | undefined,
): Promise<Connection> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	if (!API_KEY_PREFIXES.some((prefix) => apiKey.startsWith(prefix))) {
		throw new NodeOperationError(
			context.getNode(),
			`The PrivCards API key in the credential must start with ${API_KEY_PREFIXES_TEXT}`,
			{ itemIndex, description: 'Copy the key from the PrivCards dashboard: Settings → API Keys.' },
		);
	}
	const baseUrl =
		typeof credentials.baseUrl === 'string' && credentials.baseUrl !== ''
			? credentials.baseUrl
			: DEFAULT_BASE_URL;
	const insecure = insecureUrlReason(baseUrl);
	if (insecure !== undefined) {
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL in the PrivCards credential ${insecure}`,
			{ itemIndex },
		);
	}
	const trimmed = baseUrl.replace(/\/+$/, '');
	return { baseUrl: trimmed, limiter: rateLimiterFor(trimmed, apiKey) };
}

/** One credential read per node run (n8n gives each run its own context); a failure is not kept. */
const connections = new WeakMap<PrivCardsContext, Promise<Connection>>();

async function connectionOf(
	context: PrivCardsContext,
	itemIndex: number | undefined,
): Promise<Connection> {
	let connection = connections.get(context);
	if (connection === undefined) {
		connection = openConnection(context, itemIndex);
		connections.set(context, connection);
		connection.catch(() => connections.delete(context));
	}
	return await connection;
}

function errorCode(error: unknown): string | undefined {
	const code =
		(error as { code?: unknown; cause?: { code?: unknown } })?.code ??
		(error as { cause?: { code?: unknown } })?.cause?.code;
	return typeof code === 'string' ? code : undefined;
}

const WINDOW_WORDS = {
	minute: `${RATE_LIMITS.minute.max} requests a minute`,
	hour: `${RATE_LIMITS.hour.max} requests an hour`,
	cardCreates: `${RATE_LIMITS.cardCreates.max} card creates a minute`,
	cardDetails: `${RATE_LIMITS.cardDetails.max} Get Details a minute`,
} as const;

function utcTime(ms: number): string {
	return new Date(Math.ceil(ms / 1000) * 1000)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d{3}Z$/, ' UTC');
}

/** A request not started: the run was stopped, or the budget frees later than the run may wait. */
function refusalError(
	context: PrivCardsContext,
	refusal: BudgetRefusal,
	waitSeconds: number,
	itemIndex?: number,
) {
	const node = context.getNode();
	if (refusal.reason === 'stopped') {
		return new NodeOperationError(node, 'The execution was stopped: no further request was sent', {
			itemIndex,
		});
	}
	const spent =
		refusal.window === undefined
			? 'PrivCards refused this API key (429)'
			: `This API key's rate budget (${WINDOW_WORDS[refusal.window]}) is spent`;
	const minutes = Math.ceil((refusal.freeAt - Date.now()) / 60_000);
	return new NodeOperationError(
		node,
		`${spent} until ${utcTime(refusal.freeAt)} (in about ${minutes} min), longer than the node may wait (Rate Limit Wait: ${waitSeconds} s)${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
		{
			itemIndex,
			description: `Nothing was sent for this item. Run it again after ${utcTime(refusal.freeAt)}, or raise Options → Rate Limit Wait.`,
		},
	);
}

function headerValue(headers: IN8nHttpFullResponse['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (Array.isArray(value)) return value[0];
	return typeof value === 'string' ? value : undefined;
}

/**
 * The one way this package talks to PrivCards: authentication through n8n's credential, the idempotency key on
 * every POST, the key's rate budget (rateLimit.ts), retries of 429 / 5xx / connection failures with back-off (never
 * of another 4xx), and API errors mapped to NodeApiError. Nothing here logs or returns the API key.
 */
export async function apiRequest<Response>(
	context: PrivCardsContext,
	request: ApiRequest,
): Promise<Response> {
	const route = ROUTES[request.route];
	const node = context.getNode();
	let path: string;
	try {
		path = buildPath(route, request.pathParameters);
	} catch (error) {
		throw new NodeOperationError(node, `Invalid ${(error as Error).message}`, {
			itemIndex: request.itemIndex,
		});
	}
	const { baseUrl, limiter } = await connectionOf(context, request.itemIndex);
	const waitSeconds = rateLimitWaits.get(context) ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
	const deadline = Date.now() + waitSeconds * 1000;
	const signal =
		'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	const headers: IDataObject = {};
	if (route.method === 'POST') {
		headers[HEADERS.idempotencyKey] = request.idempotencyKey ?? `n8n_${randomUUID()}`;
	}
	const options: IHttpRequestOptions = {
		method: route.method,
		url: `${baseUrl}${path}`,
		headers,
		qs: request.query,
		body: request.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: limiter.requestTimeoutMs,
	};

	let retryNumber = 0;
	let refusals = 0;
	for (;;) {
		const canRetry = retryNumber < RETRY_POLICY.maxRetries;
		let response: IN8nHttpFullResponse;
		let slot: Slot;
		try {
			slot = await limiter.acquire(request.route, { deadline, signal });
		} catch (refusal) {
			// acquire() rejects with nothing but a BudgetRefusal.
			throw refusalError(context, refusal as BudgetRefusal, waitSeconds, request.itemIndex);
		}
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			slot.failed();
			const reason = error instanceof Error ? error.message : String(error);
			if (canRetry && isRetryableNetworkError(errorCode(error), reason)) {
				await waitFor(backoffDelayMs(retryNumber++), signal);
				continue;
			}
			throw networkError(node, reason, request.itemIndex);
		}

		if (response.statusCode === 429) {
			// Retry-After, else (absent, unusable or 0) a growing back-off. The requests of the window the 429 is blamed on
			// wait too (rateLimit.ts), and the retry waits with them; 429s are bounded by the wait, not by the retries.
			const waitMs =
				retryAfterMs(headerValue(response.headers, HEADERS.retryAfter)) ||
				backoffDelayMs(refusals++);
			slot.rateLimited(waitMs);
			if (Date.now() + waitMs <= deadline) continue;
			throw refusalError(
				context,
				new BudgetRefusal('wait', Date.now() + waitMs),
				waitSeconds,
				request.itemIndex,
			);
		} else {
			slot.answered();
			if (response.statusCode < 300) {
				request.onReplayed?.(headerValue(response.headers, HEADERS.idempotentReplayed) === 'true');
				return response.body as Response;
			}
			const slug = (response.body as { error?: unknown } | undefined)?.error;
			if (
				canRetry &&
				isRetryableStatus(response.statusCode, typeof slug === 'string' ? slug : undefined)
			) {
				await waitFor(backoffDelayMs(retryNumber++), signal);
				continue;
			}
		}
		throw apiErrorFromResponse(
			node,
			{
				statusCode: response.statusCode,
				body: response.body,
				requestIdHeader: headerValue(response.headers, HEADERS.requestId),
			},
			request.itemIndex,
		);
	}
}
