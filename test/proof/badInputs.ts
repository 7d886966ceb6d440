/**
 * Generated parameter values for every input validator of the action node (R3), each given from an input item
 * through an expression and run through n8n-core's engine against the emulator, with Continue On Fail: every item
 * the rules below call invalid must be an error item that names the field and the item, and send nothing; every
 * valid item must send exactly the request the rules predict. The rules are written here from the contract, not
 * taken from the node, so a validator that drifts from the contract fails.
 */
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Emulator, LoggedRequest } from '../../emulator/emulator';
import { rateLimiterFor } from '../../nodes/PrivCards/transport/rateLimit';
import { NO_RATE_LIMITS, startEmulator } from '../../emulator/emulator';
import { runNode } from '../../harness/n8n';

/** One generated value, and the request it must produce (undefined: it must be refused before any request). */
interface Generated {
	value: unknown;
	sent: string | undefined;
}

interface ValidatorSpec {
	name: string;
	/** The field as the error must name it. */
	field: string;
	/**
	 * The node's parameters, with `={{ $json.value }}` where the generated value goes; or, for a parameter n8n
	 * takes no expression for as a whole (a fixed collection's list), the parameters holding one value literally.
	 */
	parameters: IDataObject | ((value: unknown) => IDataObject);
	values: fc.Arbitrary<Generated>;
	/** The same signature as `sent`, of a request the emulator received. */
	signature(request: LoggedRequest): string;
}

const FROM_ITEM = '={{ $json.value }}';
const CARD_ID = 'card_Proof00001';
const BASE62 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const UNSAFE_CHARACTERS = [
	'/',
	'.',
	'%',
	' ',
	'?',
	'#',
	'\\',
	'é',
	'\n',
	'%2F',
	'..',
	'&',
	'-',
	'_',
	'+',
];

const base62 = (minLength: number, maxLength: number) =>
	fc.string({ unit: fc.constantFrom(...BASE62), minLength, maxLength });
const digits = (minLength: number, maxLength: number) =>
	fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

const refused = (value: unknown): Generated => ({ value, sent: undefined });

/** Text that is not a plain decimal number, but that `Number()` or a lax parser could read as one. */
const notDecimalText = fc.oneof(
	fc.constantFrom(
		'0x10',
		'1e3',
		'1E2',
		'0b1',
		'0o7',
		'ten',
		'10 USD',
		'1,50',
		'$10',
		'',
		' ',
		'NaN',
		'Infinity',
		'--1',
		'1.2.3',
	),
	fc
		.string({ minLength: 1, maxLength: 12 })
		.filter((text) => !/^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(text)),
);

/** USD amounts: the contract's 1.00 to 5,000.00 with at most 2 decimals, as numbers or decimal text. */
function amounts(min: number, max: number): fc.Arbitrary<Generated> {
	const cents = fc.integer({ min: -100, max: max * 100 + 1000 });
	const accepted = (centValue: number) => centValue >= min * 100 && centValue <= max * 100;
	return fc.oneof(
		cents.map((value) => ({
			value: value / 100,
			sent: accepted(value) ? (value / 100).toFixed(2) : undefined,
		})),
		cents.map((value) => ({
			value: (value / 100).toFixed(2),
			sent: accepted(value) ? (value / 100).toFixed(2) : undefined,
		})),
		// Tenths of a cent that are not whole cents.
		fc
			.integer({ min: 1000, max: max * 1000 })
			.filter((mills) => mills % 10 !== 0)
			.map((mills) => refused(mills / 1000)),
		fc
			.constantFrom(
				Number.NaN,
				Number.POSITIVE_INFINITY,
				Number.NEGATIVE_INFINITY,
				null,
				true,
				false,
			)
			.map(refused),
		notDecimalText.map(refused),
	);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const pad = (value: number, length = 2) => String(value).padStart(length, '0');

const dates: fc.Arbitrary<Generated> = fc.oneof(
	fc
		.record({
			year: fc.integer({ min: 2000, max: 2099 }),
			month: fc.integer({ min: 1, max: 12 }),
			day: fc.integer({ min: 1, max: 31 }),
			hour: fc.integer({ min: 0, max: 23 }),
		})
		.map(({ year, month, day, hour }) => {
			const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
			const text = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:00:00Z`;
			return { value: text, sent: day <= days ? text : undefined };
		}),
	fc
		.constantFrom(
			'next tuesday',
			'yesterday',
			'2026-13-01',
			'2026/02/30',
			'Feb 30 2026',
			'15.04.2026',
			'now',
			'2026-04-15T25:00:00Z',
		)
		.map(refused),
);

/** Path ids: the prefix and 1 to 64 letters or digits, else refused (wrong prefix, unsafe characters, too long). */
function ids(prefix: string): fc.Arbitrary<Generated> {
	return fc.oneof(
		base62(1, 64).map((body) => ({ value: `${prefix}${body}`, sent: `${prefix}${body}` })),
		fc
			.tuple(base62(0, 10), fc.constantFrom(...UNSAFE_CHARACTERS), base62(1, 10))
			.map(([before, unsafe, after]) => refused(`${prefix}${before}${unsafe}${after}`)),
		base62(65, 80).map((body) => refused(`${prefix}${body}`)),
		fc
			.constantFrom('card_', 'txn_', 'wh_', '3ds_', 'evt_')
			.filter((other) => other !== prefix)
			.chain((other) => base62(1, 10).map((body) => refused(`${other}${body}`))),
		fc
			.constantFrom('', prefix, `../${prefix}x`, `${prefix.toUpperCase()}abc`, 12345, null)
			.map(refused),
	);
}

const limits: fc.Arbitrary<Generated> = fc.oneof(
	fc.integer({ min: -5, max: 300 }).map((limit) => ({
		value: limit,
		sent: limit >= 1 ? String(Math.min(limit, 100)) : undefined,
	})),
	fc
		.integer({ min: 1, max: 300 })
		.map((limit) => ({ value: String(limit), sent: String(Math.min(limit, 100)) })),
	fc
		.double({ min: 0, max: 300, noNaN: true })
		.filter((limit) => !Number.isInteger(limit))
		.map(refused),
	notDecimalText.map(refused),
);

const binIds: fc.Arbitrary<Generated> = fc.oneof(
	digits(1, 10).map((bin) => ({
		value: bin,
		sent: bin.length === 6 || bin.length === 8 ? bin : undefined,
	})),
	fc
		.tuple(digits(0, 5), fc.constantFrom('a', 'x', ' ', '-', '/', '.', '%'), digits(1, 5))
		.map(([a, c, b]) => refused(`${a}${c}${b}`)),
);

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const webhookUrls: fc.Arbitrary<Generated> = fc.oneof(
	fc
		.tuple(
			fc.constantFrom('https', 'http', 'ftp', 'ws'),
			fc.constantFrom(...LOOPBACK, 'example.com', 'hooks.example.org', '10.0.0.5', '8.8.8.8'),
			base62(0, 12),
		)
		.map(([scheme, host, path]) => {
			const url = `${scheme}://${host}/${path}`;
			const accepted = scheme === 'https' || (scheme === 'http' && LOOPBACK.includes(host));
			return { value: url, sent: accepted ? url : undefined };
		}),
	fc
		.constantFrom(
			'example.com/hook',
			'not a url',
			'//example.com',
			'https//example.com',
			'javascript:alert(1)',
		)
		.map(refused),
);

const labels: fc.Arbitrary<Generated> = base62(1, 80).map((label) => ({
	value: label,
	sent: label.length <= 64 ? label : undefined,
}));

const metadataSets: fc.Arbitrary<Generated> = fc
	.tuple(fc.integer({ min: 1, max: 26 }), fc.boolean())
	.map(([count, repeatKey]) => {
		const keys = Array.from({ length: count }, (_, index) => `key${index}`);
		if (repeatKey && count > 1) keys[count - 1] = keys[0];
		const pair = keys.map((key) => ({ key, value: 'v' }));
		const accepted = count <= 20 && new Set(keys).size === count;
		return { value: { pair }, sent: accepted ? keys.join(',') : undefined };
	});

const bodyOf = (request: LoggedRequest) => (request.body ?? {}) as IDataObject;

const SPECS: ValidatorSpec[] = [
	{
		name: 'fund amount',
		field: 'Amount',
		parameters: {
			resource: 'funding',
			operation: 'fund',
			cardId: { __rl: true, mode: 'id', value: CARD_ID },
			amount: FROM_ITEM,
		},
		values: amounts(1, 5000),
		signature: (request) => Number(bodyOf(request).amount).toFixed(2),
	},
	{
		name: 'card id',
		field: 'Card',
		parameters: {
			resource: 'card',
			operation: 'get',
			cardId: { __rl: true, mode: 'id', value: FROM_ITEM },
		},
		values: ids('card_'),
		signature: (request) => request.path.replace(/^\/cards\//, ''),
	},
	{
		name: 'transaction id',
		field: 'Transaction ID',
		parameters: { resource: 'transaction', operation: 'get', transactionId: FROM_ITEM },
		values: ids('txn_'),
		signature: (request) => request.path.replace(/^\/transactions\//, ''),
	},
	{
		name: 'webhook id',
		field: 'Webhook ID',
		parameters: { resource: 'webhook', operation: 'delete', webhookId: FROM_ITEM },
		values: ids('wh_'),
		signature: (request) => request.path.replace(/^\/webhooks\//, ''),
	},
	{
		name: 'list limit',
		field: 'Limit',
		parameters: { resource: 'card', operation: 'getMany', returnAll: false, limit: FROM_ITEM },
		values: limits,
		signature: (request) => request.query.per_page,
	},
	{
		name: 'from date',
		field: 'From (filter)',
		parameters: {
			resource: 'transaction',
			operation: 'getMany',
			returnAll: false,
			limit: 1,
			filters: { from: FROM_ITEM },
		},
		values: dates,
		signature: (request) => request.query.from,
	},
	{
		name: 'BIN filter',
		field: 'BIN (filter)',
		parameters: {
			resource: 'card',
			operation: 'getMany',
			returnAll: false,
			limit: 1,
			filters: { binId: FROM_ITEM },
		},
		values: binIds,
		signature: (request) => request.query.bin_id,
	},
	{
		name: 'webhook URL',
		field: 'URL',
		// An event this run never causes: the endpoints it registers get no delivery.
		parameters: {
			resource: 'webhook',
			operation: 'create',
			url: FROM_ITEM,
			events: ['3ds.challenge'],
		},
		values: webhookUrls,
		signature: (request) => String(bodyOf(request).url),
	},
	{
		name: 'card label',
		field: 'Label',
		parameters: {
			resource: 'card',
			operation: 'create',
			binId: '491653',
			amount: 1,
			additionalFields: { label: FROM_ITEM },
		},
		values: labels,
		signature: (request) => String(bodyOf(request).label),
	},
	{
		name: 'card metadata',
		field: 'Metadata',
		parameters: (metadata) => ({
			resource: 'card',
			operation: 'create',
			binId: '491653',
			amount: 1,
			additionalFields: { metadata },
		}),
		values: metadataSets,
		signature: (request) => Object.keys((bodyOf(request).metadata ?? {}) as IDataObject).join(','),
	},
];

/** The output items of the values given as items of one run, or (literal values) of one run each, renumbered. */
async function runValues(
	emulator: Emulator,
	spec: ValidatorSpec,
	generated: Generated[],
): Promise<INodeExecutionData[]> {
	const credential = { apiKey: emulator.testKey, baseUrl: emulator.baseUrl };
	const { parameters } = spec;
	if (typeof parameters !== 'function') {
		const input = generated.map(({ value }) => ({ value }) as IDataObject);
		return (await runNode({ parameters, continueOnFail: true }, { credential, input })).items;
	}
	const items: INodeExecutionData[] = [];
	for (const [index, { value }] of generated.entries()) {
		const run = await runNode(
			{ parameters: parameters(value), continueOnFail: true },
			{ credential },
		);
		for (const item of run.items) {
			const error =
				typeof item.json.error === 'string'
					? item.json.error.replace('[item 0]', `[item ${index}]`)
					: undefined;
			items.push({
				json: { ...item.json, ...(error === undefined ? {} : { error }) },
				pairedItem: { item: index },
			});
		}
	}
	return items;
}

/** Whether an output item is the node's refusal of a bad parameter: it says no request was sent. */
function isRefusal(item: INodeExecutionData): boolean {
	return String(item.json.error_description ?? '').includes('No request was sent');
}

function counted(list: Array<string | undefined>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const entry of list)
		if (entry !== undefined) counts.set(entry, (counts.get(entry) ?? 0) + 1);
	return counts;
}

/**
 * Generates `count` values spread over every validator (seeded: the same seed gives the same values), runs each
 * validator's values as the items of one node run, and counts what went wrong. Each failure is also handed to
 * `onFailure`, naming its validator, item and value.
 */
export async function runBadInputs(
	count: number,
	seed: number,
	onFailure: (failure: string) => void = () => undefined,
): Promise<Record<string, number>> {
	// The emulator enforces no rate limit here, and the node's budget, its windows at a millionth of their length, holds
	// nothing back: the soak sends tens of thousands of requests, more than the published hour allows.
	const emulator = await startEmulator({ walletBalance: 1e9, rateLimits: NO_RATE_LIMITS });
	rateLimiterFor(emulator.baseUrl, emulator.testKey, { windowScale: 1e-6 });
	const counts: Record<string, number> = {
		tried: 0,
		invalid: 0,
		valid: 0,
		falseAccepts: 0,
		falseRejects: 0,
		wrongRequests: 0,
		requestsLeaked: 0,
		unnamedErrors: 0,
	};
	try {
		const perValidator = Math.max(1, Math.ceil(count / SPECS.length));
		for (const [index, spec] of SPECS.entries()) {
			const generated = fc.sample(spec.values, { numRuns: perValidator, seed: seed + index });
			emulator.clearRequests();
			const items = await runValues(emulator, spec, generated);
			const refusedItems = new Set<number>();
			for (const item of items) {
				if (!isRefusal(item)) continue;
				const itemIndex = (item.pairedItem as { item: number }).item;
				refusedItems.add(itemIndex);
				const message = String(item.json.error);
				if (!message.includes(spec.field) || !message.includes(`[item ${itemIndex}]`)) {
					counts.unnamedErrors += 1;
					onFailure(
						`${spec.name}: item ${itemIndex} refused without naming "${spec.field}" and the item: ${message}`,
					);
				}
			}
			for (const [itemIndex, { value, sent }] of generated.entries()) {
				counts.tried += 1;
				counts[sent === undefined ? 'invalid' : 'valid'] += 1;
				if (sent === undefined && !refusedItems.has(itemIndex)) {
					counts.falseAccepts += 1;
					onFailure(`${spec.name}: item ${itemIndex} ${JSON.stringify(value)} was accepted`);
				}
				if (sent !== undefined && refusedItems.has(itemIndex)) {
					counts.falseRejects += 1;
					onFailure(`${spec.name}: item ${itemIndex} ${JSON.stringify(value)} was refused`);
				}
			}
			// The requests received are exactly those the accepted items predict (order aside: items may overlap).
			const requests = emulator.requests;
			const expected = counted(generated.map(({ sent }) => sent));
			const received = counted(requests.map((request) => spec.signature(request)));
			for (const [signature, times] of received) {
				const extra = times - (expected.get(signature) ?? 0);
				if (extra > 0) {
					counts.requestsLeaked += extra;
					onFailure(
						`${spec.name}: ${extra} unexpected request(s) with ${JSON.stringify(signature)}`,
					);
				}
			}
			for (const [signature, times] of expected) {
				const missing = times - (received.get(signature) ?? 0);
				if (missing > 0) {
					counts.wrongRequests += missing;
					onFailure(
						`${spec.name}: ${missing} expected request(s) with ${JSON.stringify(signature)} not received`,
					);
				}
			}
		}
	} finally {
		await emulator.stop();
	}
	return counts;
}
