/**
 * `X-Idempotency-Key` on a POST, as docs/privcards-api.md states it: the first successful answer for a key (scoped to
 * the API key) is kept for 24 hours and replayed for a repeat of the same method, path and body; an error answer
 * is not kept; a repeat with another request is 409 `idempotency_key_reused`, one while the first still runs is
 * 409 `idempotency_key_in_use`.
 */
import { ERROR_SLUGS, HEADERS, IDEMPOTENCY_KEY_TTL_HOURS } from '../nodes/PrivCards/contract';
import { ApiError } from './api-error';
import type { Clock } from './time';

export interface StoredAnswer {
	status: number;
	body: string;
}

type Entry =
	| { fingerprint: string; answer: undefined }
	| { fingerprint: string; answer: StoredAnswer; expiresAt: number };

export interface IdempotencyClaim {
	/** The kept answer when this request repeats one that succeeded. */
	readonly replay: StoredAnswer | undefined;
	/** Ends the claim: a 2xx answer is kept, anything else (or none) frees the key. */
	settle(answer: StoredAnswer | undefined): void;
}

const TTL_MS = IDEMPOTENCY_KEY_TTL_HOURS * 60 * 60 * 1000;

/** The same JSON whatever the order of its keys. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'undefined';
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
	return `${method} ${path} ${canonicalJson(body)}`;
}

export class IdempotencyStore {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly clock: Clock) {}

	/** Claims `key` for a request, or throws the 409 the contract prescribes. */
	claim(apiKey: string, key: string, fingerprint: string): IdempotencyClaim {
		const scopedKey = JSON.stringify([apiKey, key]);
		const now = this.clock().getTime();
		const entry = this.entries.get(scopedKey);
		if (entry?.answer !== undefined && entry.expiresAt > now) {
			if (entry.fingerprint !== fingerprint)
				throw this.conflict(ERROR_SLUGS.idempotencyKeyReused, key);
			return { replay: entry.answer, settle: () => undefined };
		}
		if (entry !== undefined && entry.answer === undefined) {
			throw this.conflict(ERROR_SLUGS.idempotencyKeyInUse, key);
		}
		this.entries.set(scopedKey, { fingerprint, answer: undefined });
		return {
			replay: undefined,
			settle: (answer) => {
				if (answer !== undefined && answer.status >= 200 && answer.status < 300) {
					const expiresAt = this.clock().getTime() + TTL_MS;
					this.entries.set(scopedKey, { fingerprint, answer, expiresAt });
				} else {
					this.entries.delete(scopedKey);
				}
			},
		};
	}

	private conflict(slug: string, key: string): ApiError {
		const message =
			slug === ERROR_SLUGS.idempotencyKeyReused
				? `Idempotency key "${key}" was already used for a different request.`
				: `A request with idempotency key "${key}" is still being processed.`;
		return new ApiError(409, slug, message, HEADERS.idempotencyKey);
	}
}
