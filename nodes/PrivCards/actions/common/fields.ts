import type { INodeProperties } from 'n8n-workflow';

import { AMOUNT_LIMITS } from '../../contract';

/** The card picker: search the account's cards by label, last 4 or ID, or paste an ID. */
export function cardIdField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Card',
		name: 'cardId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The card, chosen from the list or given by its ID (card_…)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCards', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'card_8xK2m9Lp4q',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^card_[A-Za-z0-9]+$',
							errorMessage: 'A card ID is card_ followed by letters and digits',
						},
					},
				],
			},
		],
		...overrides,
	};
}

export function amountField(description: string): INodeProperties {
	return {
		displayName: 'Amount (USD)',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: AMOUNT_LIMITS.min, maxValue: AMOUNT_LIMITS.max, numberPrecision: 2 },
		description: `${description} From ${AMOUNT_LIMITS.min.toFixed(2)} to ${AMOUNT_LIMITS.max.toFixed(2)} USD, at most 2 decimals`,
	};
}

/** `returnAll` and `limit` as n8n's own list operations have them. */
export const returnAllOrLimitFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

/** For operations that POST: lets the user pin the X-Idempotency-Key. */
export const idempotencyOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			description:
				'Sent as X-Idempotency-Key. Leave empty for a key unique to this execution, node run, item and operation, which makes retries safe; used as an AI tool, a money move\'s default key comes from the call\'s arguments instead, so the same move repeated within 10 minutes happens once. Set your own (e.g. an expression over an order ID) to make a money movement safe across separate executions too, or a new one for a deliberate second identical move.',
		},
	],
};
