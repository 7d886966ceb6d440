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
	const page = query.page ?? PAGINATION.firstPage;
	const perPage = query.per_page ?? PAGINATION.defaultPerPage;
	const start = (page - 1) * perPage;
	return {
		data: items.slice(start, start + perPage),
		page,
		per_page: perPage,
		total: items.length,
		has_more: start + perPage < items.length,
	};
}
