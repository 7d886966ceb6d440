import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AMOUNT_LIMITS, BIN_ID_PATTERN, fromCents, toCents } from '../../contract';
import type { PathParameter } from '../../contract';
import {
	DEFAULT_RATE_LIMIT_WAIT_SECONDS,
	invalidIdempotencyKeyReason,
	invalidIdReason,
	redactSecrets,
} from '../../transport';
import { formatUsd } from '../../display';
import { DEFAULT_CONCURRENCY } from './fields';

/**
 * A bad parameter, named as the user sees it, with the item it belongs to. The problem often quotes what the user
 * gave, which may be a pasted API key or card number: it is redacted like every API error.
 */
export function invalidInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`${field} ${redactSecrets(problem)} [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Check the "${field}" parameter of item ${itemIndex} and run again. No request was sent.`,
		},
	);
}

export function readString(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	fallback = '',
): string {
	const value = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (value === undefined || value === null) return '';
	return String(value).trim();
}

/** An id from a resource locator or a plain string, checked before it can reach a URL path. */
export function readId(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
	pathParameter: PathParameter,
): string {
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const id = typeof value === 'string' ? value.trim() : '';
	if (id === '') throw invalidInput(context, itemIndex, field, 'is required');
	const reason = invalidIdReason(pathParameter, id);
	if (reason !== undefined) {
		throw invalidInput(
			context,
			itemIndex,
			field,
			`"${id.slice(0, 40)}" is not a valid ID: it ${reason}`,
		);
	}
	return id;
}

/** The card picker's card ID (`cardId`, or the card filter's `filters.cardId`), checked like every path ID. */
export function readCardId(
	context: IExecuteFunctions,
	itemIndex: number,
	{ name, field }: { name: string; field: string } = { name: 'cardId', field: 'Card' },
): string {
	return readId(context, itemIndex, name, field, 'cardId');
}

/** The BIN to issue on or filter by (`binId`, or `filters.binId`): its digits, checked before any request. */
export function readBinId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
): string {
	const binId = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (binId === '') throw invalidInput(context, itemIndex, field, 'is required');
	if (!BIN_ID_PATTERN.test(binId)) {
		throw invalidInput(
			context,
			itemIndex,
			field,
			`must be a BIN ID of 6 or 8 digits such as 491653, got "${binId.slice(0, 40)}"`,
		);
	}
	return binId;
}

/**
 * Numbers given as text, as expressions often give them: plain decimal notation only. `Number()` would also take
 * "0x10", "1e3" or "0b1", amounts nobody means to type.
 */
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function numberFromText(raw: unknown): unknown {
	if (typeof raw !== 'string') return raw;
	const text = raw.trim();
	return DECIMAL_TEXT.test(text) ? Number(text) : raw;
}

function isWholeCents(value: number): boolean {
	return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/** A USD number with at most 2 decimals, optionally within bounds. */
export function readMoney(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
	bounds: { min: number; max?: number },
): number {
	const raw = context.getNodeParameter(name, itemIndex) as unknown;
	const value = numberFromText(raw);
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw invalidInput(context, itemIndex, field, `must be a number, got "${String(raw)}"`);
	}
	if (!isWholeCents(value)) {
		throw invalidInput(
			context,
			itemIndex,
			field,
			`must have at most 2 decimals (USD cents), got ${value}`,
		);
	}
	if (value < bounds.min || (bounds.max !== undefined && value > bounds.max)) {
		const range =
			bounds.max === undefined
				? `at least ${formatUsd(bounds.min)}`
				: `between ${formatUsd(bounds.min)} and ${formatUsd(bounds.max)}`;
		throw invalidInput(context, itemIndex, field, `must be ${range}, got ${formatUsd(value)}`);
	}
	return fromCents(toCents(value));
}

/** An amount that moves money in one request: 1.00 to 5,000.00 USD. */
export function readAmount(
	context: IExecuteFunctions,
	itemIndex: number,
	name = 'amount',
	field = 'Amount',
): number {
	return readMoney(context, itemIndex, name, field, AMOUNT_LIMITS);
}

export function readReturnAllOrLimit(
	context: IExecuteFunctions,
	itemIndex: number,
): { returnAll: true } | { returnAll: false; limit: number } {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean)
		return { returnAll: true };
	return { returnAll: false, limit: readCount(context, itemIndex, 'limit', 'Limit', 50) };
}

export function readCollection(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
): IDataObject {
	const value = context.getNodeParameter(name, itemIndex, {}) as unknown;
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: {};
}

/** `options.idempotencyKey` when the user set one, checked; undefined otherwise. */
export function readIdempotencyKeyOverride(
	context: IExecuteFunctions,
	itemIndex: number,
): string | undefined {
	const key = readString(context, itemIndex, 'options.idempotencyKey');
	if (key === '') return undefined;
	const reason = invalidIdempotencyKeyReason(key);
	if (reason !== undefined) throw invalidInput(context, itemIndex, 'Idempotency Key', reason);
	return key;
}

/** A whole number of at least `min` (1 unless told). */
function readCount(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
	fallback: number,
	min = 1,
): number {
	const raw = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	const value = numberFromText(raw);
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
		throw invalidInput(
			context,
			itemIndex,
			field,
			`must be a whole number of at least ${min}, got "${String(raw)}"`,
		);
	}
	return value;
}

export function readConcurrency(context: IExecuteFunctions, itemIndex: number): number {
	return readCount(context, itemIndex, 'options.concurrency', 'Concurrency', DEFAULT_CONCURRENCY);
}

/** Options → Rate Limit Wait: whole seconds, 0 for no wait at all. */
export function readRateLimitWait(context: IExecuteFunctions, itemIndex: number): number {
	return readCount(
		context,
		itemIndex,
		'options.rateLimitWait',
		'Rate Limit Wait',
		DEFAULT_RATE_LIMIT_WAIT_SECONDS,
		0,
	);
}
