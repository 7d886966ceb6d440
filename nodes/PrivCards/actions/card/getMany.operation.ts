import { CARD_STATUSES } from '../../contract';
import type { Card } from '../../contract';
import { choiceFilter } from '../common/filters';
import type { ListFilter } from '../common/filters';
import { readBinId } from '../common/input';
import { listOperation } from '../common/listOperation';
import { cardOutput } from './cardOutput';

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
	read(context, itemIndex, filters) {
		if (filters.binId === undefined || filters.binId === '') return {};
		return { bin_id: readBinId(context, itemIndex, filters.binId, 'BIN (filter)') };
	},
};

export const getMany = listOperation<Card>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many cards',
	description: 'List cards, newest first, optionally by status or BIN',
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
	output: cardOutput,
});
