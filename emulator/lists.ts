import { PAGINATION } from '../nodes/PrivCards/contract';
import type { ListPage, PageQuery } from '../nodes/PrivCards/contract';

/** The items whose fields equal every filter that is set (an undefined filter lets everything through). */
export function whereEqual<Item>(
	items: readonly Item[],
	filters: { [Key in keyof Item]?: Item[Key] },
): Item[] {
	const set = Object.entries(filters).filter(([, value]) => value !== undefined);
	return items.filter((item) => set.every(([key, value]) => item[key as keyof Item] === value));
}

/** One page of a newest-first list, with the inferred `page`, `per_page`, `total` and `has_more`. */
export function paginate<Item>(items: readonly Item[], query: PageQuery): Required<ListPage<Item>> {
	return paginateMatching(
		items,
		() => true,
		(item) => item,
		query,
	);
}

/**
 * One page of the records that match, in one pass without copies, and only that page's records viewed: a long
 * history stays cheap to page through.
 */
export function paginateMatching<Record, Item>(
	records: readonly Record[],
	matches: (record: Record) => boolean,
	view: (record: Record) => Item,
	query: PageQuery,
): Required<ListPage<Item>> {
	const page = query.page ?? PAGINATION.firstPage;
	const perPage = query.per_page ?? PAGINATION.defaultPerPage;
	const start = (page - 1) * perPage;
	const data: Item[] = [];
	let total = 0;
	for (const record of records) {
		if (!matches(record)) continue;
		if (total >= start && total < start + perPage) data.push(view(record));
		total += 1;
	}
	return { data, page, per_page: perPage, total, has_more: start + perPage < total };
}
