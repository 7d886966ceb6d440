import type { RouteName } from '../../contract';
import { apiRequest } from '../../transport';
import { cardIdField, idempotencyOptions, noticeFields } from '../common/fields';
import { readCardId } from '../common/input';
import { defineOperation } from '../operation';
import type { Operation } from '../operation';

interface CardCommand {
	value: string;
	name: string;
	action: string;
	description: string;
	/** Details for the notice above the fields (see noticeFields). */
	notice?: string;
	route: Extract<RouteName, 'freezeCard' | 'unfreezeCard' | 'terminateCard'>;
}

/** A POST to /cards/{id}/<command> with nothing but the card: freeze, unfreeze, terminate. */
export function cardCommand({ route, notice, ...described }: CardCommand): Operation {
	return defineOperation<string>({
		...described,
		properties: [...noticeFields(notice), cardIdField(), idempotencyOptions],
		cardOf: (cardId) => cardId,
		readInput(itemIndex) {
			return readCardId(this, itemIndex);
		},
		async execute(cardId, item) {
			return await apiRequest<object>(this, {
				route,
				pathParameters: { cardId },
				idempotencyKey: item.idempotencyKey(),
				itemIndex: item.itemIndex,
			});
		},
	});
}
