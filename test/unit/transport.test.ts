import { topUpSteps } from '../../nodes/PrivCards/actions/funding/topUp.operation';
import { deriveIdempotencyKey, maskPan, redactSecrets } from '../../nodes/PrivCards/transport';
import type { IdempotencyScope } from '../../nodes/PrivCards/transport/idempotency';
import {
	backoffDelayMs,
	isRetryableStatus,
	RETRY_POLICY,
	retryAfterMs,
} from '../../nodes/PrivCards/transport/retry';

describe('retry policy', () => {
	it('retries 429, 5xx and a key still in flight, and no other 4xx', () => {
		expect([429, 500, 502, 503, 504].every((status) => isRetryableStatus(status, undefined))).toBe(
			true,
		);
		expect(isRetryableStatus(409, 'idempotency_key_in_use')).toBe(true);
		expect([400, 401, 403, 404, 422].some((status) => isRetryableStatus(status, undefined))).toBe(
			false,
		);
		expect(isRetryableStatus(409, 'invalid_state')).toBe(false);
		expect(isRetryableStatus(409, 'idempotency_key_reused')).toBe(false);
	});

	it('backs off exponentially with jitter in the upper half of each step, capped', () => {
		for (const retry of [0, 1, 2, 3, 10]) {
			const step = Math.min(RETRY_POLICY.maxBackoffMs, RETRY_POLICY.baseDelayMs * 2 ** retry);
			expect(backoffDelayMs(retry, () => 0)).toBe(step / 2);
			expect(backoffDelayMs(retry, () => 1)).toBe(step);
		}
	});

	it('reads Retry-After as whole seconds and ignores what it cannot read', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs(['3'])).toBe(3000);
		expect(retryAfterMs(undefined)).toBeUndefined();
		expect(retryAfterMs('soon')).toBeUndefined();
		expect(retryAfterMs('-1')).toBeUndefined();
	});

	it('reads an empty Retry-After as absent, not as "retry at once"', () => {
		expect(retryAfterMs('')).toBeUndefined();
		expect(retryAfterMs('  ')).toBeUndefined();
		expect(retryAfterMs([''])).toBeUndefined();
	});

	it('reads the HTTP-date form of Retry-After as the time left until that date', () => {
		const now = Date.parse('2026-04-15T12:00:00Z');
		expect(retryAfterMs('Wed, 15 Apr 2026 12:00:45 GMT', now)).toBe(45_000);
		expect(retryAfterMs('Wed, 15 Apr 2026 11:59:00 GMT', now)).toBe(0);
	});
});

describe('idempotency keys', () => {
	const scope: IdempotencyScope = {
		instanceId: 'instance',
		workflowId: 'wf',
		executionId: '41',
		nodeId: 'node',
		runIndex: 0,
		itemIndex: 0,
		operation: 'funding.fund',
	};

	it('is stable for the same scope and differs when any part of the scope differs', () => {
		const key = deriveIdempotencyKey(scope);
		expect(deriveIdempotencyKey({ ...scope })).toBe(key);
		const variants: Array<Partial<IdempotencyScope>> = [
			{ instanceId: 'other' },
			{ workflowId: 'other' },
			{ executionId: '42' },
			{ nodeId: 'other' },
			{ runIndex: 1 },
			{ itemIndex: 1 },
			{ operation: 'funding.withdraw' },
		];
		const keys = variants.map((change) => deriveIdempotencyKey({ ...scope, ...change }));
		expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
		expect(key.length).toBeLessThanOrEqual(255);
	});
});

describe('secrets in text', () => {
	it('removes API keys, card numbers and CVVs', () => {
		const text =
			'key sk_live_abcDEF123 card 4916 5312 3456 7890 and 4916531234567890 {"cvv":"123"}';
		const redacted = redactSecrets(text);
		expect(redacted).not.toMatch(/sk_live_abc|4916 5312|4916531234567890|123"/);
		expect(redacted).toContain('sk_***');
	});

	it('removes a card number glued to an id and a CVV after a space, and keeps ids and amounts', () => {
		expect(redactSecrets('No card with id "card_4916531234567890".')).toBe(
			'No card with id "card_[redacted card number]".',
		);
		expect(redactSecrets('got "cvv 123", CVV=4567')).toBe('got "cvv ***", CVV=***');
		expect(redactSecrets('card_8xK2m9Lp4q funded 1234.56 USD, request id req_Ab12345678')).toBe(
			'card_8xK2m9Lp4q funded 1234.56 USD, request id req_Ab12345678',
		);
	});

	it('masks a card number to BIN and last 4', () => {
		expect(maskPan('4916531234567890')).toBe('491653******7890');
		expect(maskPan('4916 5312 3456 7890')).toBe('491653******7890');
	});
});

describe('top-up steps', () => {
	it('cuts a gap into fundable amounts of 1.00 to 5,000.00', () => {
		expect(topUpSteps(8000)).toEqual([8000]);
		expect(topUpSteps(1_200_000)).toEqual([500_000, 500_000, 200_000]);
		expect(topUpSteps(500_050)).toEqual([499_950, 100]);
		for (const gap of [100, 500_000, 500_001, 1_000_099, 1_234_567]) {
			const steps = topUpSteps(gap);
			expect(steps.reduce((sum, step) => sum + step, 0)).toBe(gap);
			expect(steps.every((step) => step >= 100 && step <= 500_000)).toBe(true);
		}
	});
});
