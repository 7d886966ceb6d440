import { createHash } from 'node:crypto';

import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../contract';

export interface IdempotencyScope {
	instanceId: string;
	workflowId: string;
	executionId: string;
	nodeId: string;
	runIndex: number;
	itemIndex: number;
	/** `resource.operation`, plus a step suffix where one item makes several POSTs. */
	operation: string;
}

/**
 * The default key: the same for n8n's "Retry On Fail" and this package's own retries of one item, different
 * for every other item, node run, execution, workflow and n8n instance, so one money movement never happens twice
 * and two never share a key.
 */
export function deriveIdempotencyKey(scope: IdempotencyScope): string {
	const digest = createHash('sha256')
		.update(
			JSON.stringify([
				scope.instanceId,
				scope.workflowId,
				scope.executionId,
				scope.nodeId,
				scope.runIndex,
				scope.itemIndex,
				scope.operation,
			]),
		)
		.digest('hex');
	return `n8n_${digest}`;
}

/**
 * An AI agent repeats a tool call when it timed out or its framework retried, and every call is an execution of
 * its own: a key derived from the execution would move the money again. So, when the node runs as a tool, the
 * default key is derived from the call's checked arguments within a fixed window of this many minutes (UTC, from
 * the hour): the same move asked again inside the window is answered from the first and moves nothing. A second
 * identical move on purpose passes its own Idempotency Key.
 */
export const TOOL_CALL_WINDOW_MINUTES = 10;

/** What makes a tool call's default key: its arguments as the operation checked them, and the window it falls in. */
export function toolCallScope(input: unknown, nowMs: number): Pick<IdempotencyScope, 'executionId' | 'runIndex'> & {
	argumentsFingerprint: string;
} {
	const window = Math.floor(nowMs / (TOOL_CALL_WINDOW_MINUTES * 60_000));
	return {
		executionId: `tool-call-window-${window}`,
		runIndex: 0,
		argumentsFingerprint: createHash('sha256').update(JSON.stringify(input) ?? '').digest('hex'),
	};
}

/** Room kept at the end of a user's key for a step suffix such as `#12`. */
const STEP_SUFFIX_ROOM = 5;
const USER_IDEMPOTENCY_KEY_MAX_LENGTH = IDEMPOTENCY_KEY_MAX_LENGTH - STEP_SUFFIX_ROOM;

/** Why a user-given key is unusable, or undefined when it is fine. */
export function invalidIdempotencyKeyReason(key: string): string | undefined {
	if (key.trim() === '') return 'must not be empty';
	if (key.length > USER_IDEMPOTENCY_KEY_MAX_LENGTH) {
		return `must be at most ${USER_IDEMPOTENCY_KEY_MAX_LENGTH} characters`;
	}
	if (!/^[\x21-\x7e]+$/.test(key)) return 'may only contain printable ASCII characters without spaces';
	return undefined;
}

/** One key per step where an item moves money in several requests (a top-up above the per-request maximum). */
export function stepKey(key: string, step: number): string {
	return step === 0 ? key : `${key}#${step}`;
}
