import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { AMOUNT_LIMITS } from '../../contract';
import type { CardAndWallet, RouteName } from '../../contract';
import { formatUsd } from '../../display';
import { apiRequest } from '../../transport';
import type { ApiRequest } from '../../transport/request';
import {
	amountField,
	cardIdField,
	idempotencyKeyOption,
	optionsCollection,
} from '../common/fields';
import { invalidInput, readAmount, readCardId, readCollection, readMoney } from '../common/input';
import { defineOperation } from '../operation';
import type { Operation } from '../operation';

/** A bound the workflow author sets on what one item may move, e.g. on a tool an AI agent calls. */
export const maxAmountOption: INodeProperties = {
	displayName: 'Max Amount (USD)',
	name: 'maxAmount',
	type: 'number',
	default: 100,
	typeOptions: { minValue: AMOUNT_LIMITS.min, numberPrecision: 2 },
	description: 'The most one item may move; set it on every tool an AI agent calls',
};

/** `options.maxAmount` when the author set it, checked; undefined otherwise. */
export function readMaxAmount(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (readCollection(context, itemIndex, 'options').maxAmount === undefined) return undefined;
	return readMoney(context, itemIndex, 'options.maxAmount', 'Max Amount', {
		min: AMOUNT_LIMITS.min,
	});
}

/** A money request's answer and whether the API gave it from its idempotency store (no move happened now). */
export async function moveMoney(
	context: IExecuteFunctions,
	request: Omit<ApiRequest, 'onReplayed'>,
): Promise<{ answer: CardAndWallet; replayed: boolean }> {
	let replayed = false;
	const answer = await apiRequest<CardAndWallet>(context, {
		...request,
		onReplayed: (fromStore) => {
			replayed = fromStore;
		},
	});
	return { answer, replayed };
}

interface MoneyMovement {
	value: string;
	name: string;
	action: string;
	description: string;
	amountDescription: string;
	route: Extract<RouteName, 'fundCard' | 'withdrawFromCard'>;
}

/**
 * Moves an amount between the wallet and a card in one POST, and outputs both balances and `replayed`: true when
 * the API answered from its idempotency store, so the move it shows was made by an earlier request, not now.
 */
export function moneyMovement({
	route,
	amountDescription,
	...described
}: MoneyMovement): Operation {
	return defineOperation<{ cardId: string; amount: number }>({
		...described,
		movesMoney: true,
		properties: [
			cardIdField(),
			amountField(amountDescription),
			optionsCollection([idempotencyKeyOption, maxAmountOption]),
		],
		cardOf: ({ cardId }) => cardId,
		readInput(itemIndex) {
			const cardId = readCardId(this, itemIndex);
			const amount = readAmount(this, itemIndex);
			const maxAmount = readMaxAmount(this, itemIndex);
			if (maxAmount !== undefined && amount > maxAmount) {
				throw invalidInput(
					this,
					itemIndex,
					'Amount',
					`is ${formatUsd(amount)}, above the Max Amount of ${formatUsd(maxAmount)} set in Options`,
				);
			}
			return { cardId, amount };
		},
		async execute({ cardId, amount }, item) {
			const { answer, replayed } = await moveMoney(this, {
				route,
				pathParameters: { cardId },
				body: { amount },
				idempotencyKey: item.idempotencyKey(),
				itemIndex: item.itemIndex,
			});
			return { ...answer, replayed };
		},
	});
}
