import type { IDataObject } from 'n8n-workflow';

import { PAGINATION, ROUTES } from '../contract';
import type { ListPage, Route, RouteName } from '../contract';
import { runPool } from './pool';
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

/** Pages a Return All reads at once, once the first page has told the total. */
export const MAX_PAGES_IN_FLIGHT = 20;

interface Listing {
	context: PrivCardsContext;
	request: ListRequest;
	perPage: number;
}

type Page<Item> = ListPage<Item> & { data: Item[] };

async function fetchPage<Item>(
	{ context, request, perPage }: Listing,
	page: number,
): Promise<Page<Item>> {
	const query: IDataObject = { ...request.query, page, per_page: perPage };
	const response = await apiRequest<ListPage<Item>>(context, { ...request, query });
	return { ...response, data: Array.isArray(response.data) ? response.data : [] };
}

/** The page size the API answered with: it may serve fewer than asked for, and its `per_page` says so. */
function answeredPerPage(response: Page<unknown>, asked: number): number {
	const { per_page: perPage } = response;
	return typeof perPage === 'number' && Number.isInteger(perPage) && perPage > 0 ? perPage : asked;
}

function isLastPage(response: Page<unknown>, perPage: number): boolean {
	const lastPage =
		response.has_more === undefined
			? response.data.length < answeredPerPage(response, perPage)
			: !response.has_more;
	return lastPage || response.data.length === 0;
}

/** Keeps each record once, by `id`: newest-first lists push records onto the next page as new ones arrive. */
class UniqueRecords<Item> {
	readonly items: Item[] = [];
	private readonly seen = new Set<unknown>();

	add(records: Item[], wanted = Infinity): void {
		for (const record of records) {
			if (this.items.length >= wanted) return;
			const id = (record as { id?: unknown }).id;
			if (id !== undefined && this.seen.has(id)) continue;
			this.seen.add(id);
			this.items.push(record);
		}
	}
}

/** One page after another from the first, until the last page or `wanted` records. */
async function readSequentially<Item>(
	listing: Listing,
	wanted: number,
	firstPage?: Page<Item>,
): Promise<Item[]> {
	const records = new UniqueRecords<Item>();
	for (let page = PAGINATION.firstPage; records.items.length < wanted; page++) {
		const response =
			page === PAGINATION.firstPage && firstPage !== undefined
				? firstPage
				: await fetchPage<Item>(listing, page);
		records.add(response.data, wanted);
		if (isLastPage(response, listing.perPage)) break;
	}
	return records.items;
}

/**
 * Every record: the first page tells the total, the others are read in parallel. A page that tells another total
 * means records came or went meanwhile, so the pages may overlap or leave gaps: the list is read again, one page
 * after another, each record once.
 */
async function readAll<Item>(listing: Listing): Promise<Item[]> {
	const first = await fetchPage<Item>(listing, PAGINATION.firstPage);
	const total = first.total;
	if (total === undefined || isLastPage(first, listing.perPage))
		return await readSequentially(listing, Infinity, first);
	const pageCount = Math.ceil(total / answeredPerPage(first, listing.perPage));
	const others = Array.from(
		{ length: pageCount - PAGINATION.firstPage },
		(_, index) => PAGINATION.firstPage + 1 + index,
	);
	const rest = new Array<Page<Item>>(others.length);
	await runPool(others.length, { concurrency: MAX_PAGES_IN_FLIGHT }, async (index) => {
		rest[index] = await fetchPage<Item>(listing, others[index]);
	});
	const changed =
		rest.some((page) => page.total !== total) ||
		!isLastPage(rest[rest.length - 1] ?? first, listing.perPage);
	if (changed) return await readSequentially(listing, Infinity);
	const records = new UniqueRecords<Item>();
	for (const page of [first, ...rest]) records.add(page.data);
	return records.items;
}

/**
 * The query with the route's time window closed at the listing's start, unless the user closed it: the next whole
 * second, as the API writes times (the bound is exclusive, so nothing created before the listing is left out).
 */
function pinnedWindow(request: ListRequest): IDataObject | undefined {
	const windowEnd = (ROUTES[request.route] as Route).windowEnd;
	if (windowEnd === undefined || request.query?.[windowEnd] !== undefined) return request.query;
	const nextSecond = new Date(Math.ceil(Date.now() / 1000) * 1000);
	return { ...request.query, [windowEnd]: nextSecond.toISOString().replace('.000Z', 'Z') };
}

/**
 * Walks a paginated list. It stops at `has_more: false` (or, where the API leaves `has_more` out, at a page
 * shorter than asked for), outputs each record once, and, with a limit, never fetches a page it does not need.
 */
export async function apiList<Item>(
	context: PrivCardsContext,
	request: ListRequest,
	scope: ListScope,
): Promise<Item[]> {
	const pinned = { ...request, query: pinnedWindow(request) };
	if (scope.returnAll)
		return await readAll({ context, request: pinned, perPage: PAGINATION.maxPerPage });
	const perPage = Math.min(scope.limit, PAGINATION.maxPerPage);
	return await readSequentially({ context, request: pinned, perPage }, scope.limit);
}
