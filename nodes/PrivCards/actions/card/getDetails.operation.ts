import type { CardDetails } from '../../contract';
import { apiRequest, maskPan } from '../../transport';
import { cardIdField } from '../common/fields';
import { readCardId } from '../common/input';
import { defineOperation } from '../operation';

interface Input {
	cardId: string;
	includeSensitiveData: boolean;
}

export const getDetails = defineOperation<Input>({
	value: 'getDetails',
	name: 'Get Details',
	action: 'Get card details',
	description:
		'Get the card number and expiry. The number is masked to BIN and last 4 and the CVV left out unless Include Sensitive Data is on. Limited by PrivCards to 30 calls a minute.',
	properties: [
		cardIdField(),
		{
			displayName: 'Include Sensitive Data',
			name: 'includeSensitiveData',
			type: 'boolean',
			default: false,
			description:
				'Whether to output the full card number and CVV. They then sit in the execution data, visible to anyone who can see executions: only turn on where the next node needs them.',
		},
	],
	readInput(itemIndex) {
		return {
			cardId: readCardId(this, itemIndex),
			includeSensitiveData: this.getNodeParameter('includeSensitiveData', itemIndex, false) === true,
		};
	},
	async execute({ cardId, includeSensitiveData }, item) {
		const details = await apiRequest<CardDetails>(this, {
			route: 'getCardDetails',
			pathParameters: { cardId },
			itemIndex: item.itemIndex,
		});
		if (includeSensitiveData) return details;
		return {
			card_id: details.card_id,
			pan: maskPan(details.pan),
			exp_month: details.exp_month,
			exp_year: details.exp_year,
			masked: true,
		};
	},
});
