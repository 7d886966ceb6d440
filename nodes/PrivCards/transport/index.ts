export {
	apiRequest,
	CREDENTIAL_TYPE,
	DEFAULT_RATE_LIMIT_WAIT_SECONDS,
	setRateLimitWait,
} from './request';
export { apiList } from './pagination';
export { runPool } from './pool';
export type { ListRequest, ListScope } from './pagination';
export {
	deriveIdempotencyKey,
	gapKey,
	invalidIdempotencyKeyReason,
	scopedUserKey,
	toolCallScope,
} from './idempotency';
export type { GapState, IdempotencyScope } from './idempotency';
export { invalidIdReason } from './paths';
export { maskPan, redactSecrets } from './redact';
