import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** What the router knows about the item an operation is working on. */
export interface ItemContext {
	itemIndex: number;
	/**
	 * The X-Idempotency-Key for this item's POST: the user's `options.idempotencyKey` scoped to workflow, node,
	 * operation and the item's checked input, or the key derived from execution, node, run, item and operation.
	 */
	idempotencyKey(): string;
}

export interface OperationDefinition<Input> {
	/** The operation's value, as saved in workflows (fixed public interface). */
	value: string;
	name: string;
	/** Shown in the node's action list and read by AI agents. */
	action: string;
	description: string;
	/**
	 * Moves money (issues a funded card, funds, withdraws). As an AI tool such an operation keys its requests by the
	 * call's arguments, so an agent repeating the call moves nothing twice; other POSTs (freeze, unfreeze) are safe
	 * to repeat as they are and keep keys per execution, so freeze, unfreeze, freeze in a row freezes again.
	 */
	movesMoney?: true;
	properties: INodeProperties[];
	/**
	 * Each item reads pages of a list: items run one after another and the operation has no Concurrency option.
	 * Every other operation runs up to `options.concurrency` items at once.
	 */
	itemsOneAtATime?: true;
	/** The card an item acts on: items for one card run one after another, in input order. */
	cardOf?(input: Input): string;
	/** Reads and checks this item's parameters. Throws before any request is sent. */
	readInput(this: IExecuteFunctions, itemIndex: number): Input;
	execute(this: IExecuteFunctions, input: Input, item: ItemContext): Promise<object | object[]>;
}

/** An operation with its input type erased, as the router holds it. */
export type Operation = OperationDefinition<unknown>;

export function defineOperation<Input>(definition: OperationDefinition<Input>): Operation {
	return definition as unknown as Operation;
}

export interface ResourceDefinition {
	value: string;
	name: string;
	description: string;
	operations: Operation[];
	/** One of `operations`: what a new node shows first. */
	defaultOperation: Operation;
}
