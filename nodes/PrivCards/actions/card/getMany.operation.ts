import { CARD_STATUSES } from '../../contract';
import type { Card } from '../../contract';
import { choiceFilter } from '../common/filters';
import type { ListFilter } from '../common/filters';
import { listOperation } from '../common/listOperation';

const binFilter: ListFilter = {
	properties: [
		{
			displayName: 'BIN Name or ID',
			name: 'binId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getBins' },
			default: '',
			description:
				'Only cards issued on this BIN. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	],
	read(_context, _itemIndex, filters) {
		const binId = typeof filters.binId === 'string' ? filters.binId.trim() : '';
		return binId === '' ? {} : { bin_id: binId };
	},
};

export const getMany = listOperation<Card>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many cards',
	description:
		'List cards, newest first, optionally only those in one state or on one BIN. Each card: ID, status, balance, limits, label, last 4.',
	route: 'listCards',
	filters: [
		choiceFilter({
			name: 'status',
			displayName: 'Status',
			queryName: 'status',
			values: CARD_STATUSES,
			description: 'Only cards in this state',
		}),
		binFilter,
	],
});
