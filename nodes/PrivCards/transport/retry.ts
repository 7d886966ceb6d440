import { ERROR_SLUGS } from '../contract';

export const RETRY_POLICY = {
	maxRetries: 4,
	baseDelayMs: 250,
	maxBackoffMs: 8_000,
	/** A Retry-After longer than this is not waited for: the error is surfaced instead. */
	maxRetryAfterMs: 65_000,
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
	return /socket hang up|network error|timeout|closed unexpectedly|refused the connection/i.test(message);
}

/** Capped exponential back-off with jitter: a random delay in the upper half of the step. */
export function backoffDelayMs(retryNumber: number, random: () => number = Math.random): number {
	const step = Math.min(RETRY_POLICY.maxBackoffMs, RETRY_POLICY.baseDelayMs * 2 ** retryNumber);
	return Math.round(step / 2 + (random() * step) / 2);
}

/** Retry-After in whole seconds (the only form the API sends); undefined when absent or unusable. */
export function retryAfterMs(header: unknown): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (!Number.isFinite(seconds) || seconds < 0) return undefined;
	return seconds * 1000;
}
