import type { IDataObject } from 'n8n-workflow';

/**
 * Where one list's polling stands: every record created before `second` was emitted (or passed over as unchosen),
 * and of the records created within `second`, those in `seen`. Kept in the node's static data, which n8n saves
 * after each poll (with durable poll cursors, in the same transaction as the execution the poll started).
 */
export interface ListCursor {
	/** A whole second, as the API writes times: `2026-04-15T12:00:00Z`. */
	second: string;
	/** Ids of the records created within `second` already emitted or passed over. */
	seen: string[];
}

/** The API's time format: ISO 8601 UTC, whole seconds. */
export function isoSecond(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Epoch milliseconds of a record's `created_at`, down to its second; NaN when it is not a time. */
export function secondOf(createdAt: unknown): number {
	const ms = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
	return Math.floor(ms / 1000) * 1000;
}

const CURSORS_KEY = 'cursors';

/** The cursor of a list kept in static data, or undefined when that list was never polled (or the entry is damaged). */
export function readCursor(staticData: IDataObject, list: string): ListCursor | undefined {
	const cursors = staticData[CURSORS_KEY] as IDataObject | undefined;
	const entry = cursors?.[list] as Partial<ListCursor> | undefined;
	if (typeof entry?.second !== 'string' || Number.isNaN(Date.parse(entry.second))) return undefined;
	const seen = Array.isArray(entry.seen)
		? entry.seen.filter((id): id is string => typeof id === 'string')
		: [];
	return { second: entry.second, seen };
}

/** Stores every list's cursor at once, after every request of the poll has succeeded. */
export function writeCursors(staticData: IDataObject, cursors: Record<string, ListCursor>): void {
	const stored = { ...((staticData[CURSORS_KEY] as IDataObject | undefined) ?? {}) };
	for (const [list, cursor] of Object.entries(cursors)) {
		stored[list] = { second: cursor.second, seen: [...cursor.seen] };
	}
	staticData[CURSORS_KEY] = stored;
}

/** Whether a record is at or after the cursor and not yet emitted: the test every reader applies. */
export function isAfterCursor(cursor: ListCursor, id: string, createdAt: unknown): boolean {
	const second = secondOf(createdAt);
	const cursorMs = Date.parse(cursor.second);
	if (second !== cursorMs) return second > cursorMs;
	return !cursor.seen.includes(id);
}

/**
 * The cursor after records were emitted or passed over, oldest first: it moves to the newest one's second and
 * remembers which records of that second are done, so records sharing it that arrive later are not missed.
 */
export function advance(
	cursor: ListCursor,
	done: ReadonlyArray<{ id: string; createdAt: unknown }>,
): ListCursor {
	let next: ListCursor = { second: cursor.second, seen: [...cursor.seen] };
	for (const record of done) {
		const second = isoSecond(secondOf(record.createdAt));
		if (Date.parse(second) > Date.parse(next.second)) next = { second, seen: [] };
		if (second === next.second && !next.seen.includes(record.id)) next.seen.push(record.id);
	}
	return next;
}
