import type { CardAndWallet, RouteName } from '../../contract';
import { apiRequest } from '../../transport';
import { amountField, cardIdField, idempotencyOptions } from '../common/fields';
import { readAmount, readCardId } from '../common/input';
import { defineOperation } from '../operation';
import type { Operation } from '../operation';

interface MoneyMovement {
	value: string;
	name: string;
	action: string;
	description: string;
	amountDescription: string;
	route: Extract<RouteName, 'fundCard' | 'withdrawFromCard'>;
}

/** Moves an amount between the wallet and a card in one POST, and outputs both balances. */
export function moneyMovement({ route, amountDescription, ...described }: MoneyMovement): Operation {
	return defineOperation<{ cardId: string; amount: number }>({
		...described,
		movesMoney: true,
		properties: [cardIdField(), amountField(amountDescription), idempotencyOptions],
		cardOf: ({ cardId }) => cardId,
		readInput(itemIndex) {
			return {
				cardId: readCardId(this, itemIndex),
				amount: readAmount(this, itemIndex),
			};
		},
		async execute({ cardId, amount }, item) {
			return await apiRequest<CardAndWallet>(this, {
				route,
				pathParameters: { cardId },
				body: { amount },
				idempotencyKey: item.idempotencyKey(),
				itemIndex: item.itemIndex,
			});
		},
	});
}
