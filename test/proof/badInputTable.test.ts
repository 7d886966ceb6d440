/**
 * R3's table: invalid parameter sets across every operation, each given literally and as an expression from the
 * input item, run through n8n-core's engine. Each must stop the node with a NodeOperationError that names the
 * field and the item, and the emulator must have received no request at all.
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import { runNode } from '../../harness/n8n';

const locator = (value: string): IDataObject => ({ __rl: true, mode: 'id', value });
const metadataPairs = (keys: string[]): IDataObject => ({
	pair: keys.map((key) => ({ key, value: 'v' })),
});
const keys = (count: number): string[] =>
	Array.from({ length: count }, (_, index) => `key${index}`);

interface BadInput {
	base: IDataObject;
	/** Where the bad value goes, dot-separated (`cardId.value` for a card picker). */
	path: string;
	value: unknown;
	field: string;
}

const cardCreate = { resource: 'card', operation: 'create', binId: '491653', amount: 10 };
const fund = {
	resource: 'funding',
	operation: 'fund',
	cardId: locator('card_Abc1234567'),
	amount: 10,
};
const withdraw = { ...fund, operation: 'withdraw' };
const topUp = {
	resource: 'funding',
	operation: 'topUp',
	cardId: locator('card_Abc1234567'),
	targetBalance: 100,
};
const card = (operation: string) => ({
	resource: 'card',
	operation,
	cardId: locator('card_Abc1234567'),
});
const list = (resource: string, operation: string) => ({
	resource,
	operation,
	returnAll: false,
	limit: 5,
});
const webhookCreate = {
	resource: 'webhook',
	operation: 'create',
	url: 'https://example.com/privcards',
	events: ['card.created'],
};

const table: Array<[IDataObject, string, unknown[], string]> = [
	[
		cardCreate,
		'amount',
		[0.99, 5000.01, 1.001, Number.NaN, Number.POSITIVE_INFINITY, -1, 'ten', '0x10', '1e3', ''],
		'Amount',
	],
	[cardCreate, 'binId', ['', '12345', '4916530', 'visa', '../bins', '491653%2F'], 'BIN'],
	[cardCreate, 'additionalFields.label', ['x'.repeat(65)], 'Label'],
	[cardCreate, 'additionalFields.spendingLimit', [0, 'lots', 0.001], 'Spending Limit'],
	[cardCreate, 'additionalFields.autoFreezeAt', [-1, '1e2'], 'Auto-Freeze Below'],
	[
		fund,
		'amount',
		[0.99, 5000.01, 1.001, Number.NaN, Number.NEGATIVE_INFINITY, -1, '1,5', 'ten'],
		'Amount',
	],
	[
		fund,
		'cardId.value',
		[
			'',
			'card_../wallet',
			'card_abc%2F..',
			'card_abc%2e%2e',
			'txn_Abc1234567',
			'card_ab cd',
			'../../wallet',
		],
		'Card',
	],
	[fund, 'options.idempotencyKey', ['k'.repeat(256)], 'Idempotency Key'],
	[withdraw, 'amount', [-1, 'abc', 5000.01], 'Amount'],
	[withdraw, 'cardId.value', ['card_', 'card_a/b'], 'Card'],
	[topUp, 'targetBalance', [0.99, 1.001, 'max', Number.NaN], 'Target Balance'],
	[topUp, 'cardId.value', ['card_%00'], 'Card'],
	[card('get'), 'cardId.value', ['', 'card_abc/../../wallet'], 'Card'],
	[card('getDetails'), 'cardId.value', ['card_x/details', 'card_%2e%2e%2fwallet'], 'Card'],
	[card('freeze'), 'cardId.value', ['card_%00'], 'Card'],
	[card('unfreeze'), 'cardId.value', ['CARD_abc'], 'Card'],
	[card('terminate'), 'cardId.value', ['card_abc?x=1'], 'Card'],
	[list('card', 'getMany'), 'limit', [0, -1, 2.5, 'many', Number.NaN, '1e2'], 'Limit'],
	[list('card', 'getMany'), 'filters.status', ['deleted'], 'Status (filter)'],
	[list('card', 'getMany'), 'filters.binId', ['4916', 'abcdef', '491653/'], 'BIN (filter)'],
	[
		{ resource: 'transaction', operation: 'get' },
		'transactionId',
		['', 'txn_../1', 'txn_%2F', 'card_Abc1234567'],
		'Transaction ID',
	],
	[
		list('transaction', 'getMany'),
		'filters.from',
		['next tuesday', '2026-02-30', '2026-13-01T00:00:00Z'],
		'From (filter)',
	],
	[
		list('transaction', 'getMany'),
		'filters.to',
		['Feb 30 2026', '2026-04-31T00:00:00'],
		'To (filter)',
	],
	[
		{ ...list('transaction', 'getMany'), filters: { to: '2026-04-01T00:00:00Z' } },
		'filters.from',
		['2026-05-01T00:00:00Z'],
		'From (filter)',
	],
	[list('transaction', 'getMany'), 'filters.type', ['purchase'], 'Type (filter)'],
	[list('transaction', 'getMany'), 'filters.cardId', [locator('card_a/b')], 'Card (filter)'],
	[list('transaction', 'getMany'), 'limit', [0], 'Limit'],
	[{ resource: 'threeDs', operation: 'get' }, 'challengeId', ['', '3ds_a.b'], 'Challenge ID'],
	[list('threeDs', 'getMany'), 'filters.status', ['done'], 'Status (filter)'],
	[list('threeDs', 'getMany'), 'limit', [-3], 'Limit'],
	[list('wallet', 'getDeposits'), 'filters.status', ['lost'], 'Status (filter)'],
	[list('wallet', 'getDeposits'), 'limit', ['x'], 'Limit'],
	[{ resource: 'wallet', operation: 'getDepositAddresses' }, 'currency', ['doge'], 'Currency'],
	[{ resource: 'bin', operation: 'getMany' }, 'filters.network', ['amex'], 'Network (filter)'],
	[
		webhookCreate,
		'url',
		['http://example.com/hook', 'http://8.8.8.8/hook', 'not a url', '', 'ftp://example.com/x'],
		'URL',
	],
	[webhookCreate, 'events', [['card.exploded'], [], 'card.created,card.melted'], 'Events'],
	[list('webhook', 'getMany'), 'limit', [0, '10 items'], 'Limit'],
	[{ resource: 'webhook', operation: 'get' }, 'webhookId', ['wh_..%2F', 'whsec_abc'], 'Webhook ID'],
	[{ resource: 'webhook', operation: 'delete' }, 'webhookId', ['', 'wh_a?b=c'], 'Webhook ID'],
];

const cases: BadInput[] = table.flatMap(([base, path, values, field]) =>
	values.map((value) => ({ base, path, value, field })),
);

function withValue(parameters: IDataObject, path: string, value: unknown): IDataObject {
	const copy = structuredClone(parameters);
	const names = path.split('.');
	let target = copy;
	for (const name of names.slice(0, -1)) {
		target[name] ??= {};
		target = target[name] as IDataObject;
	}
	target[names[names.length - 1]] = value as IDataObject[string];
	return copy;
}

/** Metadata takes no expression as a whole in n8n: its keys are the expressions from the input item. */
const metadataCases: Array<{ name: string; keys: string[] }> = [
	{ name: '21 keys', keys: keys(21) },
	{ name: 'a duplicate key', keys: ['campaign', 'team', 'campaign'] },
	{ name: 'a 41-character key', keys: ['k'.repeat(41)] },
	{ name: 'an empty key', keys: ['team', ''] },
];

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});

afterAll(async () => {
	await emulator.stop();
});

/** How each literal and expression run was refused: by the node, or by n8n's own check of the node's fields. */
const refusals = { nodeOperationError: 0, workflowHasIssues: 0 };

async function expectRefusedBeforeAnyRequest(
	parameters: IDataObject,
	field: string,
	input?: IDataObject[],
) {
	emulator.clearRequests();
	const credential = { apiKey: emulator.testKey, baseUrl: emulator.baseUrl };
	let result: Awaited<ReturnType<typeof runNode>>;
	try {
		result = await runNode({ parameters }, { credential, input });
	} catch (error) {
		// A literal that breaks the node description's own rules (a required field left empty, the card picker's
		// regex) never reaches the node: n8n refuses to start the workflow and lists the field.
		expect(input).toBeUndefined();
		expect((error as Error).name).toBe('WorkflowHasIssuesError');
		expect((error as Error).message).toMatch(/is required|card ID is card_/);
		expect(emulator.requests).toHaveLength(0);
		refusals.workflowHasIssues += 1;
		return;
	}
	const { error, items } = result;
	expect(items).toHaveLength(0);
	// The run's error is n8n's serialised copy: its name, not its class, survives.
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toContain(field);
	expect(error?.message).toContain('[item 0]');
	expect(error?.description).toContain('No request was sent');
	expect(emulator.requests).toHaveLength(0);
	refusals.nodeOperationError += 1;
}

afterAll(() => {
	console.log(`R3 table refusals: ${JSON.stringify(refusals)}, requests leaked: 0`);
});

const describeCase = ({ base, path, value, field }: BadInput) =>
	`${String(base.resource)}.${String(base.operation)} ${path} = ${JSON.stringify(value)?.slice(0, 40) ?? String(value)} (${field})`;

it('covers at least 60 invalid parameter sets across every operation', () => {
	const operations = new Set(
		cases.map(({ base }) => `${String(base.resource)}.${String(base.operation)}`),
	);
	console.log(
		`R3 table: ${cases.length + metadataCases.length} invalid parameter sets over ${operations.size} operations, each literal and as an expression: ${2 * (cases.length + metadataCases.length)} runs`,
	);
	expect(cases.length + metadataCases.length).toBeGreaterThanOrEqual(60);
	expect(operations.size).toBe(21);
});

describe.each(cases.map((badInput) => [describeCase(badInput), badInput] as const))(
	'%s',
	(_name, badInput) => {
		it('is refused as a literal', async () => {
			await expectRefusedBeforeAnyRequest(
				withValue(badInput.base, badInput.path, badInput.value),
				badInput.field,
			);
		});

		it('is refused as an expression from the input item', async () => {
			await expectRefusedBeforeAnyRequest(
				withValue(badInput.base, badInput.path, '={{ $json.bad }}'),
				badInput.field,
				[{ bad: badInput.value as IDataObject[string] }],
			);
		});
	},
);

describe.each(metadataCases.map((metadataCase) => [metadataCase.name, metadataCase] as const))(
	'card.create metadata with %s',
	(_name, { keys: given }) => {
		it('is refused as literals', async () => {
			await expectRefusedBeforeAnyRequest(
				{ ...cardCreate, additionalFields: { metadata: metadataPairs(given) } },
				'Metadata',
			);
		});

		it('is refused as expressions from the input item', async () => {
			const expressions = given.map((_key, index) => `={{ $json.keys[${index}] }}`);
			await expectRefusedBeforeAnyRequest(
				{ ...cardCreate, additionalFields: { metadata: metadataPairs(expressions) } },
				'Metadata',
				[{ keys: given }],
			);
		});
	},
);
