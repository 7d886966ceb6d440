import type { Card } from '../../contract';
import { apiRequest } from '../../transport';
import { cardIdField } from '../common/fields';
import { readCardId } from '../common/input';
import { defineOperation } from '../operation';
import { cardOutput } from './cardOutput';

export const get = defineOperation<{ cardId: string; present: (card: Card) => object }>({
	value: 'get',
	name: 'Get',
	action: 'Get a card',
	description: "Get a card's status, balance, limits, label and metadata",
	properties: [cardIdField(), ...cardOutput.properties],
	readInput(itemIndex) {
		return { cardId: readCardId(this, itemIndex), present: cardOutput.read(this, itemIndex) };
	},
	async execute({ cardId, present }, item) {
		const card = await apiRequest<Card>(this, {
			route: 'getCard',
			pathParameters: { cardId },
			itemIndex: item.itemIndex,
		});
		return present(card);
	},
});
