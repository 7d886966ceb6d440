import { NodeOperationError, sleep } from 'n8n-workflow';
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

import { API_KEY_PREFIXES, DEFAULT_BASE_URL, HEADERS, ROUTES } from '../contract';
import type { RouteName } from '../contract';
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
import { rateLimiterFor } from './rateLimit';
import type { RateLimiter } from './rateLimit';

export type PrivCardsContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'privCardsApi';
/**
 * How long one attempt may take before it is abandoned and retried. An object, not a constant, only so that the
 * fault suites (test/proof) can meet a "slower than the timeout" answer without waiting 30 s; nothing else sets it.
 */
export const REQUEST_TIMEOUT = { ms: 30_000 };

export interface ApiRequest {
	route: RouteName;
	pathParameters?: PathParameters;
	query?: IDataObject;
	body?: IDataObject;
	/** Sent as X-Idempotency-Key on a POST; a POST without one gets a random key shared by its retries. */
	idempotencyKey?: string;
	itemIndex?: number;
}

interface Connection {
	baseUrl: string;
	limiter: RateLimiter;
}

async function openConnection(context: PrivCardsContext, itemIndex: number | undefined): Promise<Connection> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	if (!API_KEY_PREFIXES.some((prefix) => apiKey.startsWith(prefix))) {
		throw new NodeOperationError(
			context.getNode(),
			'The PrivCards API key in the credential must start with sk_live_ or sk_test_',
			{ itemIndex, description: 'Copy the key from the PrivCards dashboard: Settings → API Keys.' },
		);
	}
	const baseUrl = typeof credentials.baseUrl === 'string' && credentials.baseUrl !== '' ? credentials.baseUrl : DEFAULT_BASE_URL;
	if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
		throw new NodeOperationError(context.getNode(), 'The Base URL in the PrivCards credential must start with https://', {
			itemIndex,
		});
	}
	const trimmed = baseUrl.replace(/\/+$/, '');
	return { baseUrl: trimmed, limiter: rateLimiterFor(trimmed, apiKey) };
}

/** One credential read per node run (n8n gives each run its own context); a failure is not kept. */
const connections = new WeakMap<PrivCardsContext, Promise<Connection>>();

async function connectionOf(context: PrivCardsContext, itemIndex: number | undefined): Promise<Connection> {
	let connection = connections.get(context);
	if (connection === undefined) {
		connection = openConnection(context, itemIndex);
		connections.set(context, connection);
		connection.catch(() => connections.delete(context));
	}
	return await connection;
}

function errorCode(error: unknown): string | undefined {
	const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
	return typeof code === 'string' ? code : undefined;
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
export async function apiRequest<Response>(context: PrivCardsContext, request: ApiRequest): Promise<Response> {
	const route = ROUTES[request.route];
	const node = context.getNode();
	let path: string;
	try {
		path = buildPath(route, request.pathParameters);
	} catch (error) {
		throw new NodeOperationError(node, `Invalid ${(error as Error).message}`, { itemIndex: request.itemIndex });
	}
	const { baseUrl, limiter } = await connectionOf(context, request.itemIndex);
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
		timeout: REQUEST_TIMEOUT.ms,
	};

	for (let retryNumber = 0; ; retryNumber++) {
		const canRetry = retryNumber < RETRY_POLICY.maxRetries;
		let response: IN8nHttpFullResponse;
		const slot = await limiter.acquire(request.route);
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
				await sleep(backoffDelayMs(retryNumber));
				continue;
			}
			throw networkError(node, reason, request.itemIndex);
		}

		if (response.statusCode === 429) {
			const waitMs = retryAfterMs(headerValue(response.headers, HEADERS.retryAfter)) ?? backoffDelayMs(retryNumber);
			// Every request of this key waits, not only this one: the others would meet the same 429.
			slot.rateLimited(Math.min(waitMs, RETRY_POLICY.maxRetryAfterMs));
			if (canRetry && waitMs <= RETRY_POLICY.maxRetryAfterMs) continue;
		} else {
			slot.answered();
			if (response.statusCode < 300) return response.body as Response;
			const slug = (response.body as { error?: unknown } | undefined)?.error;
			if (canRetry && isRetryableStatus(response.statusCode, typeof slug === 'string' ? slug : undefined)) {
				await sleep(backoffDelayMs(retryNumber));
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
