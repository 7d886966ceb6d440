import type { IDataObject } from 'n8n-workflow';

import { CARD_STATUSES } from '../../contract';
import type { Card } from '../../contract';
import { apiList } from '../../transport';
import type { ListScope } from '../../transport';
import { returnAllOrLimitFields } from '../common/fields';
import { readCollection, readReturnAllOrLimit } from '../common/input';
import { defineOperation } from '../operation';

interface Input {
	scope: ListScope;
	query: IDataObject;
}

export const getMany = defineOperation<Input>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many cards',
	description: 'List cards, newest first, optionally only those with a given status or BIN',
	properties: [
		...returnAllOrLimitFields,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'BIN Name or ID',
					name: 'binId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getBins' },
					default: '',
					description:
						'Only cards issued on this BIN. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					options: CARD_STATUSES.map((status) => ({ name: status[0].toUpperCase() + status.slice(1), value: status })),
					default: 'active',
					description: 'Only cards in this state',
				},
			],
		},
	],
	readInput(itemIndex) {
		const filters = readCollection(this, itemIndex, 'filters');
		const query: IDataObject = {};
		if (filters.status) query.status = filters.status;
		if (filters.binId) query.bin_id = filters.binId;
		return { scope: readReturnAllOrLimit(this, itemIndex), query };
	},
	async execute({ scope, query }, item) {
		return await apiList<Card>(this, { route: 'listCards', query, itemIndex: item.itemIndex }, scope);
	},
});
