import type { INodeProperties } from 'n8n-workflow';

import { AMOUNT_LIMITS } from '../../contract';
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS } from '../../transport';
import { formatUsd } from '../../display';

/** The card picker: search the account's cards by label, last 4 or ID, or paste an ID. */
export function cardIdField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Card',
		name: 'cardId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'Choose the card from the list, or give its ID (card_…)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCards', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. card_8xK2m9Lp4q',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^card_[A-Za-z0-9]+$',
							errorMessage: 'A card ID is card_ followed by letters and digits',
						},
					},
				],
			},
		],
		...overrides,
	};
}

export function amountField(description: string): INodeProperties {
	return {
		displayName: 'Amount (USD)',
		name: 'amount',
		type: 'number',
		required: true,
		// n8n's way for a required figure: 0 until the user sets one. No amount is a guess, and 0 moves nothing: the
		// node refuses it (naming the field and item) before any request.
		default: 0,
		typeOptions: { minValue: 0, maxValue: AMOUNT_LIMITS.max, numberPrecision: 2 },
		description: `${description}, from ${formatUsd(AMOUNT_LIMITS.min)} to ${formatUsd(AMOUNT_LIMITS.max)}`,
	};
}

/** `returnAll` and `limit` as n8n's own list operations have them. */
export const returnAllOrLimitFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** For operations that POST: lets the user pin the X-Idempotency-Key. */
export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.orderId }}',
	description:
		'An ID from your data so the same move happens once across executions (empty: once per execution)',
};

export const idempotencyOptions = optionsCollection([idempotencyKeyOption]);

/**
 * 50 in flight at about 40 ms a request is about 1,250 requests/s of capacity: a run inside one minute's budget (1,000
 * requests) is bound by n8n's own work per item, not by waiting; a bigger run spends the minute's budget in a few
 * seconds and then waits, whatever this is, for the requests to leave the API's window.
 */
export const DEFAULT_CONCURRENCY = 50;

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, numberPrecision: 0 },
	description: 'How many items may have requests in flight at once (1 runs them one by one)',
};

const rateLimitWaitOption: INodeProperties = {
	displayName: 'Rate Limit Wait (Seconds)',
	name: 'rateLimitWait',
	type: 'number',
	default: DEFAULT_RATE_LIMIT_WAIT_SECONDS,
	typeOptions: { minValue: 0, numberPrecision: 0 },
	description: "How long a request may wait for PrivCards' rate limit before its item fails unsent",
};

/**
 * An operation's properties with the run options in its Options collection (a new collection when it has none):
 * Rate Limit Wait always, Concurrency where items may overlap.
 */
export function withRunOptions(
	properties: INodeProperties[],
	{ concurrency }: { concurrency: boolean },
): INodeProperties[] {
	const runOptions = concurrency ? [concurrencyOption, rateLimitWaitOption] : [rateLimitWaitOption];
	const existing = properties.find((property) => property.name === 'options');
	if (existing === undefined) return [...properties, optionsCollection(runOptions)];
	return properties.map((property) =>
		property === existing
			? optionsCollection(
					[...runOptions, ...((existing.options ?? []) as INodeProperties[])].sort((a, b) =>
						a.displayName.localeCompare(b.displayName),
					),
				)
			: property,
	);
}

/**
 * A notice above an operation's fields, for the details that do not fit the Operation dropdown's two lines (limits,
 * what cannot be undone, what the output holds); none when there is no text.
 */
export function noticeFields(text: string | undefined): INodeProperties[] {
	return text === undefined
		? []
		: [{ displayName: text, name: 'notice', type: 'notice', default: '' }];
}
