import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import {
	deriveIdempotencyKey,
	runPool,
	scopedUserKey,
	setRateLimitWait,
	toolCallScope,
} from '../transport';
import type { IdempotencyScope } from '../transport';
import { readConcurrency, readIdempotencyKeyOverride, readRateLimitWait } from './common/input';
import { isToolCall } from './common/tool';
import type { ItemContext, Operation } from './operation';
import { findOperation } from './resources';

type Prepared = { input: unknown; item: ItemContext } | { error: Error };

/** Errors keep their type (and so their item, HTTP code and request id); anything else is wrapped. */
function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const details = error as Error & { httpCode?: string | null; description?: string | null };
	return {
		json: {
			error: error.message,
			...(details.description ? { error_description: details.description } : {}),
			...(details.httpCode ? { http_code: details.httpCode } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}

function toItems(result: object | object[], itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((json) => ({ json: json as IDataObject, pairedItem: { item: itemIndex } }));
}

type RunScope = Omit<IdempotencyScope, 'itemIndex' | 'operation'>;

/**
 * What every default idempotency key of this node run shares. Without an execution id (n8n gives one to every
 * saved, manual and tool execution) a random one stands in: two runs must never share a key, or the second would
 * be answered from the first's stored response and move no money.
 */
function runScope(context: IExecuteFunctions): RunScope {
	return {
		instanceId: context.getInstanceId(),
		workflowId: String(context.getWorkflow().id ?? ''),
		executionId: context.getExecutionId() || `unidentified-${randomUUID()}`,
		nodeId: context.getNode().id,
		runIndex: context.getWorkflowDataProxy(0).$runIndex,
	};
}

function itemContext(
	scope: RunScope,
	itemIndex: number,
	operationName: string,
	keyOverride: string | undefined,
	input: unknown,
	toolCallAtMs: number | undefined,
): ItemContext {
	return {
		itemIndex,
		idempotencyKey: () => {
			if (keyOverride !== undefined) {
				return scopedUserKey(keyOverride, { ...scope, operation: operationName, move: input });
			}
			const call = toolCallAtMs === undefined ? undefined : toolCallScope(input, toolCallAtMs);
			const operation = `${operationName}${call === undefined ? '' : `(${call.argumentsFingerprint})`}`;
			return deriveIdempotencyKey({ ...scope, ...call, itemIndex, operation });
		},
	};
}

/**
 * Runs the chosen operation for every input item. All items' parameters are read and checked first, so a bad
 * item stops the node before any request (or, with "Continue On Fail", becomes an error item of its own). Then up
 * to `options.concurrency` items run at once, items of one card in input order; the output follows the input.
 * Without "Continue On Fail" the first failure starts no further item, lets the running ones finish, and is thrown.
 * A Stop starts no further item, and no further request of a running one (transport/request.ts).
 */
export async function runItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationValue = this.getNodeParameter('operation', 0) as string;
	const operation: Operation | undefined = findOperation(resource, operationValue);
	if (operation === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationValue}" of "${resource}" is not supported`,
		);
	}
	const scope = runScope(this);
	const nowMs = Date.now();
	const toolCall = operation.movesMoney === true && isToolCall(this);
	const operationName = `${resource}.${operationValue}`;

	const prepared: Prepared[] = items.map((_item, itemIndex) => {
		try {
			const keyOverride = readIdempotencyKeyOverride(this, itemIndex);
			const input = operation.readInput.call(this, itemIndex);
			return {
				input,
				item: itemContext(
					scope,
					itemIndex,
					operationName,
					keyOverride,
					input,
					toolCall ? nowMs : undefined,
				),
			};
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			return { error: error as Error };
		}
	});

	const concurrency = operation.itemsOneAtATime === true ? 1 : readConcurrency(this, 0);
	setRateLimitWait(this, readRateLimitWait(this, 0));
	const outputs: INodeExecutionData[][] = prepared.map(() => []);
	await runPool(
		prepared.length,
		{
			concurrency,
			signal: this.getExecutionCancelSignal(),
			stopped: () =>
				new NodeOperationError(
					this.getNode(),
					'The execution was stopped: no further item was started',
				),
			laneOf: (itemIndex) => {
				const preparation = prepared[itemIndex];
				return 'error' in preparation ? undefined : operation.cardOf?.(preparation.input);
			},
		},
		async (itemIndex) => {
			const preparation = prepared[itemIndex];
			if ('error' in preparation) {
				outputs[itemIndex] = [errorItem(preparation.error, itemIndex)];
				return;
			}
			try {
				const result = await operation.execute.call(this, preparation.input, preparation.item);
				outputs[itemIndex] = toItems(result, itemIndex);
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
				outputs[itemIndex] = [errorItem(error as Error, itemIndex)];
			}
		},
	);
	return [outputs.flat()];
}
