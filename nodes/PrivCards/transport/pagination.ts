import type { IDataObject } from 'n8n-workflow';

import { PAGINATION, ROUTES } from '../contract';
import type { ListPage, RouteName } from '../contract';
import { apiRequest } from './request';
import type { ApiRequest, PrivCardsContext } from './request';

type ListRouteName = {
	[Name in RouteName]: (typeof ROUTES)[Name] extends { paginated: true } ? Name : never;
}[RouteName];

export interface ListRequest extends Omit<ApiRequest, 'route' | 'body' | 'idempotencyKey'> {
	route: ListRouteName;
}

/** Either every item, or at most `limit` items. */
export type ListScope = { returnAll: true } | { returnAll: false; limit: number };

/**
 * Walks a paginated list. It stops at `has_more: false` (or, where the API leaves `has_more` out, at a page
 * shorter than asked for) and, with a limit, never fetches a page it does not need.
 */
export async function apiList<Item>(
	context: PrivCardsContext,
	request: ListRequest,
	scope: ListScope,
): Promise<Item[]> {
	const perPage = scope.returnAll ? PAGINATION.maxPerPage : Math.min(scope.limit, PAGINATION.maxPerPage);
	const wanted = scope.returnAll ? Infinity : scope.limit;
	const items: Item[] = [];
	for (let page = PAGINATION.firstPage; items.length < wanted; page++) {
		const query: IDataObject = { ...request.query, page, per_page: perPage };
		const response = await apiRequest<ListPage<Item>>(context, { ...request, query });
		const data = Array.isArray(response.data) ? response.data : [];
		items.push(...data.slice(0, wanted - items.length));
		const lastPage = response.has_more === undefined ? data.length < perPage : !response.has_more;
		if (lastPage || data.length === 0) break;
	}
	return items;
}
