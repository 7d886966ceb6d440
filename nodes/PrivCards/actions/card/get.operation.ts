import type { Card } from '../../contract';
import { apiRequest } from '../../transport';
import { cardIdField } from '../common/fields';
import { readCardId } from '../common/input';
import { defineOperation } from '../operation';

export const get = defineOperation<string>({
	value: 'get',
	name: 'Get',
	action: 'Get a card',
	description: 'Get one card: status, balance, limits, label and metadata (never the full card number)',
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
