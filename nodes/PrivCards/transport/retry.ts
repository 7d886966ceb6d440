import { ERROR_SLUGS } from '../contract';

export const RETRY_POLICY = {
	maxRetries: 4,
	baseDelayMs: 250,
	maxBackoffMs: 8_000,
} as const;

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** 429, 5xx and a key still in flight are worth another try; every other 4xx is final. */
export function isRetryableStatus(status: number, errorSlug: string | undefined): boolean {
	if (status === 429 || status >= 500) return true;
	return status === 409 && errorSlug === ERROR_SLUGS.idempotencyKeyInUse;
}

export function isRetryableNetworkError(code: string | undefined, message: string): boolean {
	if (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) return true;
	return /socket hang up|network error|timeout|closed unexpectedly|refused the connection/i.test(
		message,
	);
}

/** Capped exponential back-off with jitter: a random delay in the upper half of the step. */
export function backoffDelayMs(retryNumber: number, random: () => number = Math.random): number {
	const step = Math.min(RETRY_POLICY.maxBackoffMs, RETRY_POLICY.baseDelayMs * 2 ** retryNumber);
	return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Retry-After as milliseconds from `now`: delay-seconds (what the API sends) or an HTTP-date (RFC 9110; a date
 * already past is 0). Undefined when absent, empty or unusable: never read as "retry at once".
 */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
	const raw: unknown = Array.isArray(header) ? header[0] : header;
	const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	if (!/[a-z]/i.test(value)) return undefined;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
