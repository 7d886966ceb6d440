import { tryToParseDateTime } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { cardIdField } from './fields';
import { invalidInput, readCardId } from './input';

/**
 * One filter of a list operation: the option(s) it adds to the `filters` collection, and how it turns what the
 * user set into query parameters (checked, before any request).
 */
export interface ListFilter {
	properties: INodeProperties[];
	read(context: IExecuteFunctions, itemIndex: number, filters: IDataObject): IDataObject;
}

/** The `filters` collection of a list operation, its options sorted by name as n8n shows them. */
export function filtersCollection(filters: ListFilter[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: filters
			.flatMap((filter) => filter.properties)
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function readFilters(
	context: IExecuteFunctions,
	itemIndex: number,
	filters: ListFilter[],
): IDataObject {
	const values = context.getNodeParameter('filters', itemIndex, {}) as unknown;
	const set =
		typeof values === 'object' && values !== null && !Array.isArray(values)
			? (values as IDataObject)
			: {};
	return Object.assign(
		{},
		...filters.map((filter) => filter.read(context, itemIndex, set)),
	) as IDataObject;
}

function capitalized(value: string): string {
	return value[0].toUpperCase() + value.slice(1);
}

/** Only the given card's records, chosen with the same card picker as the card resource; sent as `card_id`. */
export function cardFilter(description: string): ListFilter {
	return {
		properties: [cardIdField({ required: false, description })],
		read(context, itemIndex, filters) {
			if (filters.cardId === undefined) return {};
			return {
				card_id: readCardId(context, itemIndex, { name: 'filters.cardId', field: 'Card (filter)' }),
			};
		},
	};
}

/** A filter on one of a fixed set of values (status, type, network), sent under `queryName`. */
export function choiceFilter(options: {
	name: string;
	displayName: string;
	queryName: string;
	values: readonly string[];
	description: string;
}): ListFilter {
	const { name, displayName, queryName, values, description } = options;
	const [firstValue] = values;
	return {
		properties: [
			{
				displayName,
				name,
				type: 'options',
				options: values.map((value) => ({ name: capitalized(value), value })),
				default: firstValue,
				description,
			},
		],
		read(context, itemIndex, filters) {
			const value = filters[name];
			if (value === undefined) return {};
			if (typeof value !== 'string' || !values.includes(value)) {
				throw invalidInput(
					context,
					itemIndex,
					`${displayName} (filter)`,
					`must be one of ${values.join(', ')}, got "${String(value)}"`,
				);
			}
			return { [queryName]: value };
		},
	};
}

const ISO_DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

/**
 * Whether text starts with an ISO 8601 date (as n8n's date picker and `toISO()` give it) that is on the calendar.
 * n8n's parser falls back to JavaScript's Date for text Luxon refuses, which rolls 2026-02-30 over to March 2 and
 * reads "2026/02/30" or "Feb 30 2026" the same way: a filter the user did not mean.
 */
function isIsoCalendarDate(text: string): boolean {
	const match = ISO_DATE_PREFIX.exec(text.trim());
	if (match === null) return false;
	const [year, month, day] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/**
 * A date-time as n8n's date-time fields and expressions give it (ISO 8601 text, with or without an offset, a
 * Date, a Luxon DateTime, epoch milliseconds), as ISO 8601 UTC. Text without an offset is read in the workflow's time zone,
 * as n8n's date picker means it.
 */
function readDateTime(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
): string {
	const input = typeof value === 'number' ? new Date(value) : value;
	let parsed: ReturnType<typeof tryToParseDateTime> | undefined;
	try {
		parsed =
			typeof input === 'string' && !isIsoCalendarDate(input)
				? undefined
				: tryToParseDateTime(input, context.getTimezone());
	} catch {
		parsed = undefined;
	}
	const iso =
		parsed?.isValid === true ? parsed.toUTC().toISO({ suppressMilliseconds: true }) : null;
	if (iso === null) {
		throw invalidInput(
			context,
			itemIndex,
			field,
			`must be a date and time such as 2026-04-15T12:00:00Z, got "${String(value)}"`,
		);
	}
	return iso;
}

/** `from` (inclusive) and `to` (exclusive) date-times, sent as ISO 8601 UTC; `from` must come before `to`. */
export function dateRangeFilter(records: string): ListFilter {
	return {
		properties: [
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: `Only ${records} at or after this date and time (inclusive). Without a time zone, the workflow's time zone applies.`,
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: `Only ${records} before this date and time (exclusive). Without a time zone, the workflow's time zone applies.`,
			},
		],
		read(context, itemIndex, filters) {
			const query: IDataObject = {};
			for (const [name, field] of [
				['from', 'From (filter)'],
				['to', 'To (filter)'],
			] as const) {
				const value = filters[name];
				if (value === undefined || value === null || value === '') continue;
				query[name] = readDateTime(context, itemIndex, value, field);
			}
			if (
				query.from !== undefined &&
				query.to !== undefined &&
				Date.parse(String(query.from)) >= Date.parse(String(query.to))
			) {
				throw invalidInput(
					context,
					itemIndex,
					'From (filter)',
					`must be before To, got ${String(query.from)} and ${String(query.to)}`,
				);
			}
			return query;
		},
	};
}
