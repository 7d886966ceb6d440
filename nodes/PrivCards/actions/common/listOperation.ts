import type { IDataObject } from 'n8n-workflow';

import { apiList } from '../../transport';
import type { ListRequest, ListScope } from '../../transport';
import { defineOperation } from '../operation';
import type { Operation } from '../operation';
import { noticeFields, returnAllOrLimitFields } from './fields';
import { filtersCollection, readFilters } from './filters';
import type { ListFilter } from './filters';
import { readReturnAllOrLimit } from './input';
import { rawOutput } from './outputShape';
import type { OutputShape } from './outputShape';

interface ListOperation<Item> {
	value: string;
	name: string;
	action: string;
	description: string;
	/** Details for the notice above the fields (see noticeFields). */
	notice?: string;
	route: ListRequest['route'];
	filters?: ListFilter[];
	output?: OutputShape<Item>;
}

interface ListInput<Item> {
	scope: ListScope;
	query: IDataObject;
	present: (record: Item) => object;
}

/**
 * A paginated list: `returnAll` / `limit`, an optional `filters` collection turned into the query, and an optional
 * output shape (Simplify). One output item per record.
 */
export function listOperation<Item extends object>({
	route,
	filters = [],
	output = rawOutput<Item>(),
	notice,
	...described
}: ListOperation<Item>): Operation {
	return defineOperation<ListInput<Item>>({
		...described,
		itemsOneAtATime: true,
		properties: [
			...noticeFields(notice),
			...returnAllOrLimitFields,
			...(filters.length > 0 ? [filtersCollection(filters)] : []),
			...output.properties,
		],
		readInput(itemIndex) {
			return {
				scope: readReturnAllOrLimit(this, itemIndex),
				query: readFilters(this, itemIndex, filters),
				present: output.read(this, itemIndex),
			};
		},
		async execute({ scope, query, present }, item) {
			const records = await apiList<Item>(this, { route, query, itemIndex: item.itemIndex }, scope);
			return records.map(present);
		},
	});
}
