import { createHash } from 'node:crypto';

import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../contract';

export interface IdempotencyScope {
	instanceId: string;
	workflowId: string;
	executionId: string;
	nodeId: string;
	runIndex: number;
	itemIndex: number;
	/** `resource.operation`, as `funding.fund`. */
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
export function toolCallScope(
	input: unknown,
	nowMs: number,
): Pick<IdempotencyScope, 'executionId' | 'runIndex'> & {
	argumentsFingerprint: string;
} {
	const window = Math.floor(nowMs / (TOOL_CALL_WINDOW_MINUTES * 60_000));
	return {
		executionId: `tool-call-window-${window}`,
		runIndex: 0,
		argumentsFingerprint: createHash('sha256')
			.update(JSON.stringify(input) ?? '')
			.digest('hex'),
	};
}

/**
 * A key the user set (`options.idempotencyKey`, e.g. an order or event ID), scoped to the workflow, the node, the
 * operation and what the move is (the item's checked input: card, amount, …). One value can so serve several nodes
 * and cards, while a re-run of the same move with the same value sends the same key and moves nothing twice.
 */
export function scopedUserKey(
	userKey: string,
	scope: Pick<IdempotencyScope, 'workflowId' | 'nodeId' | 'operation'> & { move: unknown },
): string {
	const digest = createHash('sha256')
		.update(JSON.stringify([userKey, scope.workflowId, scope.nodeId, scope.operation, scope.move]))
		.digest('hex');
	return `user_${digest}`;
}

/** A Top Up's gap as one run read it: what defines the one funding request that closes it (or its next step). */
export interface GapState {
	cardId: string;
	targetCents: number;
	balanceCents: number;
	/** The card's latest payment (`CARD_DEBIT_TRANSACTION_TYPE`), or null when it has none. */
	latestDebitId: string | null;
	/**
	 * 0 for a state read afresh; 1, 2, … when the key of the same state was answered from the API's store and the
	 * card still showed the gap (money taken off without a payment, e.g. a withdrawal back to the same balance).
	 */
	attempt: number;
}

/**
 * A Top Up's key: derived from the gap alone (no execution, node or time), so two runs that read the same card
 * state at once (a schedule and a manual run, two workers, two copies of one event) send the same key and the API
 * moves the money once; a card that spent again reads as a new state and is funded again at once.
 */
export function gapKey(gap: GapState): string {
	const digest = createHash('sha256')
		.update(
			JSON.stringify([
				'funding.topUp',
				gap.cardId,
				gap.targetCents,
				gap.balanceCents,
				gap.latestDebitId,
				gap.attempt,
			]),
		)
		.digest('hex');
	return `gap_${digest}`;
}

/** Why a user-given key is unusable, or undefined when it is fine. */
export function invalidIdempotencyKeyReason(key: string): string | undefined {
	if (key.trim() === '') return 'must not be empty';
	if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH)
		return `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`;
	if (!/^[\x21-\x7e]+$/.test(key))
		return 'may only contain printable ASCII characters without spaces';
	return undefined;
}
