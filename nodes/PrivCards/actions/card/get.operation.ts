import type { Card } from '../../contract';
import { apiRequest } from '../../transport';
import { cardIdField } from '../common/fields';
import { readCardId } from '../common/input';
import { defineOperation } from '../operation';

export const get = defineOperation<string>({
	value: 'get',
	name: 'Get',
	action: 'Get a card',
	description: "Get a card's status, balance, limits, label and metadata",
	properties: [cardIdField()],
	readInput(itemIndex) {
		return readCardId(this, itemIndex);
	},
	async execute(cardId, item) {
		return await apiRequest<Card>(this, {
			route: 'getCard',
			pathParameters: { cardId },
			itemIndex: item.itemIndex,
		});
	},
});
