import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { PAGINATION, ROUTES } from '../contract';
import type { ListPage, Route } from '../contract';
import { apiRequest } from '../transport';
import { isAfterCursor, isoSecond, secondOf } from './cursor';
import type { ListCursor } from './cursor';
import type { PollSource } from './sources';

/**
 * Pages of a time-filtered list one poll reads at most (after the first, which tells the total): a backlog (n8n was
 * stopped, 10,000 transactions arrived) is worked off over several polls, each holding at most 1,000 records and
 * sending at most 11 requests, the cursor moving only past what was emitted.
 */
export const MAX_PAGES_PER_POLL = 10;
/**
 * Pages a poll reads from the head of a list that cannot be filtered by time (cards, deposits) before giving up:
 * those lists grow slowly (the API creates at most 50 cards a minute).
 */
const MAX_HEAD_PAGES = 50;

/** What one poll reads: records after the cursor and created before `endMs` (a whole second, exclusive). */
export interface PollWindow {
	cursor: ListCursor;
	endMs: number;
	/** Past this time (epoch ms) no further page is read: the rest waits for the next poll. */
	deadlineMs: number;
}

type Page = ListPage<IDataObject> & { data: IDataObject[] };

async function fetchPage(
	context: IPollFunctions,
	source: PollSource,
	query: IDataObject,
	page: number,
): Promise<Page> {
	const response = await apiRequest<ListPage<IDataObject>>(context, {
		route: source.route,
		query: { ...query, page, per_page: PAGINATION.maxPerPage },
	});
	return { ...response, data: Array.isArray(response.data) ? response.data : [] };
}

function isLastPage(page: Page): boolean {
	if (page.data.length === 0) return true;
	return page.has_more === undefined ? page.data.length < PAGINATION.maxPerPage : !page.has_more;
}

/**
 * A list filtered by time on the server, its window pinned at [cursor, end): the oldest page first, each page
 * oldest record first, so a poll that stops (the record cap, the time budget) has emitted a gapless run from the
 * cursor. A page that tells another total means the window changed under the reading: the poll stops there.
 */
async function readWindowOldestFirst(
	context: IPollFunctions,
	source: PollSource,
	query: IDataObject,
	window: PollWindow,
	first: Page & { total: number },
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const pageCount = Math.ceil(first.total / PAGINATION.maxPerPage);
	const lastRead = Math.max(PAGINATION.firstPage, pageCount - MAX_PAGES_PER_POLL + 1);
	for (let number = pageCount; number >= lastRead; number--) {
		if (records.length > 0 && Date.now() > window.deadlineMs) break;
		const page =
			number === PAGINATION.firstPage ? first : await fetchPage(context, source, query, number);
		if (page.total !== first.total) break;
		for (const record of [...page.data].reverse()) {
			if (!isAfterCursor(window.cursor, String(record.id), record.created_at)) continue;
			records.push(record);
		}
	}
	return records;
}

/**
 * A newest-first list read from its head until a record older than the cursor: records arriving meanwhile push
 * others onto later pages, so a record may come twice (kept once) but none is skipped. Oldest first on return.
 */
async function readFromHead(
	context: IPollFunctions,
	source: PollSource,
	query: IDataObject,
	window: PollWindow,
	first: Page,
): Promise<IDataObject[]> {
	const cursorMs = Date.parse(window.cursor.second);
	const found = new Map<string, IDataObject>();
	for (
		let number = PAGINATION.firstPage, page = first;
		;
		page = await fetchPage(context, source, query, ++number)
	) {
		let reachedCursor = false;
		for (const record of page.data) {
			const id = String(record.id);
			const second = secondOf(record.created_at);
			if (second < cursorMs) reachedCursor = true;
			if (found.has(id) || second >= window.endMs) continue;
			if (isAfterCursor(window.cursor, id, record.created_at)) found.set(id, record);
		}
		if (reachedCursor || isLastPage(page)) break;
		if (number >= MAX_HEAD_PAGES) {
			throw new NodeOperationError(
				context.getNode(),
				`More than ${MAX_HEAD_PAGES * PAGINATION.maxPerPage} new ${source.name} since the last poll`,
				{
					description:
						'The trigger reads that list from its newest record back to its cursor. Set the Start From option to a later time to skip the backlog.',
				},
			);
		}
	}
	return [...found.values()].reverse();
}

/** The records of one list after the cursor and before the window's end, oldest first. */
export async function readNewRecords(
	context: IPollFunctions,
	source: PollSource,
	query: IDataObject,
	window: PollWindow,
): Promise<IDataObject[]> {
	if (Date.parse(window.cursor.second) >= window.endMs) return [];
	const { windowStart, windowEnd } = ROUTES[source.route] as Route;
	const pinned =
		windowStart !== undefined && windowEnd !== undefined
			? { ...query, [windowStart]: window.cursor.second, [windowEnd]: isoSecond(window.endMs) }
			: query;
	const first = await fetchPage(context, source, pinned, PAGINATION.firstPage);
	if (pinned !== query && typeof first.total === 'number') {
		return await readWindowOldestFirst(context, source, pinned, window, {
			...first,
			total: first.total,
		});
	}
	return await readFromHead(context, source, pinned, window, first);
}

/** The newest record of a list that stands for one of the chosen events, from its first page ("Fetch Test Event"). */
export async function newestRecord(
	context: IPollFunctions,
	source: PollSource,
	query: IDataObject,
	isChosen: (record: IDataObject) => boolean,
): Promise<IDataObject | undefined> {
	const page = await fetchPage(context, source, query, PAGINATION.firstPage);
	return page.data.find(isChosen);
}
