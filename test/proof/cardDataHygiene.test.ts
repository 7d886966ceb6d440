/**
 * R4: with every log line n8n-core's engine and the nodes write captured (n8n-workflow's LoggerProxy and the
 * Logger node contexts get), and every error path exercised (API errors that echo secrets, network errors,
 * validation errors, a wrong API key, trigger refusals, Continue On Fail items), no log line, error message,
 * error description or error item holds the API key, a full card number or a CVV.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { LoggerProxy } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	Logger,
} from 'n8n-workflow';

import { HEADERS } from '../../nodes/PrivCards/contract';
import type { Card, CardDetails } from '../../nodes/PrivCards/contract';
import { computeSignature } from '../../nodes/PrivCards/trigger';
import { startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import { actionNode, nodeTypes, runNode, runWorkflow } from '../../harness/n8n';
import type { RunResult } from '../../harness/n8n';
import { TriggerHarness } from '../../harness/trigger';
import { Client, createCard } from '../emulator/helpers';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'verbose'] as const;
const lines: string[] = [];
/** Every error message, description and error item the runs produced. */
const errorTexts: string[] = [];

/**
 * Errors keep their message, description and stack out of JSON.stringify; this puts them in. n8n's errors also
 * carry a copy of the workflow node: its parameters are what the user typed into the workflow, stored with it
 * anyway, and are left out.
 */
function textOf(value: unknown): string {
	return JSON.stringify(value, (key, entry: unknown) =>
		key === 'node' && typeof entry === 'object'
			? '[the workflow node]'
			: entry instanceof Error
				? {
						...entry,
						message: entry.message,
						stack: entry.stack,
						description: (entry as { description?: unknown }).description,
					}
				: entry,
	);
}

function record(level: string, message: string, meta?: unknown): void {
	lines.push(`${level} ${message} ${meta === undefined ? '' : textOf(meta)}`);
}

const capturing = Object.fromEntries(
	LOG_LEVELS.map((level) => [
		level,
		(message: string, meta?: unknown) => record(level, message, meta),
	]),
) as unknown as Logger;

/** Hands over the Logger node contexts get (`this.logger`, n8n's DI singleton) when it runs. */
class LoggerProbe implements INodeType {
	static logger: Logger | undefined;
	description = {
		displayName: 'Logger Probe',
		name: 'loggerProbe',
		group: ['transform'],
		version: 1,
		description: 'Test helper',
		defaults: { name: 'Logger Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		LoggerProbe.logger = this.logger;
		return [this.getInputData()];
	}
}

let emulator: Emulator;
let card: Card;
let details: CardDetails;

function credential(overrides: { apiKey?: string; baseUrl?: string } = {}) {
	return { apiKey: emulator.testKey, baseUrl: emulator.baseUrl, ...overrides };
}

beforeAll(async () => {
	nodeTypes.register('test.loggerProbe', new LoggerProbe());
	emulator = await startEmulator();
	const probe = actionNode({ name: 'Probe', type: 'test.loggerProbe', parameters: {} });
	await runWorkflow([probe], {}, 'Probe', { credential: credential() });
	const contextLogger = LoggerProbe.logger as unknown as Record<string, unknown>;
	for (const level of LOG_LEVELS)
		contextLogger[level] = (message: string, meta?: unknown) => record(level, message, meta);
	LoggerProxy.init(capturing);
	const client = new Client(emulator);
	card = await createCard(client, { amount: 100 });
	details = (await client.get(`/cards/${card.id}/details`)).body as CardDetails;
});

afterAll(async () => {
	await emulator.stop();
});

function collect({ error, items }: RunResult): void {
	if (error !== undefined)
		errorTexts.push(
			textOf({ message: error.message, description: error.description }),
			textOf(error),
		);
	for (const item of items) if (item.json.error !== undefined) errorTexts.push(textOf(item.json));
}

async function run(
	parameters: IDataObject,
	options: {
		continueOnFail?: boolean;
		credential?: ReturnType<typeof credential>;
		input?: IDataObject[];
	} = {},
) {
	for (const continueOnFail of options.continueOnFail === undefined
		? [false, true]
		: [options.continueOnFail]) {
		const result = await runNode(
			{ parameters, continueOnFail },
			{ credential: options.credential ?? credential(), input: options.input },
		);
		expect(
			result.error !== undefined || result.items.some((item) => item.json.error !== undefined),
		).toBe(true);
		collect(result);
	}
}

/** Where a secret shows: the API key, the card number (plain or grouped by 4), the CVV under its name. */
function leaks(text: string): string[] {
	const { pan, cvv } = details;
	const found: string[] = [];
	if (text.includes(emulator.testKey)) found.push('API key');
	if (text.includes(pan) || text.includes(pan.replace(/(\d{4})(?=\d)/g, '$1 ')))
		found.push('card number');
	if (new RegExp(`cvv\\W{0,4}${cvv}\\b`, 'i').test(text)) found.push('CVV');
	return found;
}

const locator = (value: string) => ({ __rl: true, mode: 'id', value });

describe('every error path', () => {
	it('leaves no API key, card number or CVV in logs, errors or error items', async () => {
		const { pan, cvv } = details;
		const key = emulator.testKey;
		const echo = `card ${pan} cvv: ${cvv} key ${key}`;

		// API errors whose message and field echo secrets.
		emulator.faults.inject({
			method: 'POST',
			path: '/cards/{cardId}/fund',
			status: 400,
			times: 2,
			body: {
				error: 'invalid_request',
				message: echo,
				code: 400,
				request_id: 'req_Echo000001',
				param: key,
			},
		});
		await run({ resource: 'funding', operation: 'fund', cardId: locator(card.id), amount: 10 });
		emulator.faults.inject({
			method: 'GET',
			path: '/cards/{cardId}/details',
			status: 500,
			times: 10,
			message: echo,
		});
		await run(
			{ resource: 'card', operation: 'getDetails', cardId: locator(card.id) },
			{ continueOnFail: true },
		);
		emulator.faults.clear();
		// An unknown card whose id is a card number; a wrong API key.
		await run({ resource: 'card', operation: 'get', cardId: locator(`card_${pan}`) });
		await run(
			{ resource: 'wallet', operation: 'get' },
			{ credential: credential({ apiKey: `${key}Wrong` }) },
		);

		// Validation errors, literal and from the input item.
		const input = [{ pan, key, cvv }];
		for (const parameters of [
			{ resource: 'funding', operation: 'fund', cardId: locator(card.id), amount: key },
			{
				resource: 'funding',
				operation: 'fund',
				cardId: locator(card.id),
				amount: '={{ $json.pan }}',
			},
			{ resource: 'card', operation: 'create', binId: '={{ $json.pan }}', amount: 10 },
			{
				resource: 'card',
				operation: 'getMany',
				returnAll: false,
				limit: 5,
				filters: { binId: pan },
			},
			{ resource: 'card', operation: 'get', cardId: locator('={{ "card_" + $json.key }}') },
			{
				resource: 'transaction',
				operation: 'getMany',
				returnAll: false,
				limit: 5,
				filters: { from: `={{ $json.pan + ' cvv ' + $json.cvv }}` },
			},
			{
				resource: 'webhook',
				operation: 'create',
				url: `http://example.com/?key=${key}&pan=${pan}`,
				events: ['card.created'],
			},
			{
				resource: 'webhook',
				operation: 'create',
				url: 'https://example.com/h',
				events: ['={{ $json.pan }}'],
			},
			{
				resource: 'funding',
				operation: 'fund',
				cardId: locator(card.id),
				amount: 10,
				options: { idempotencyKey: `${key}${'x'.repeat(300)}` },
			},
		]) {
			await run(parameters, { input });
		}
		expect(
			emulator.requests.filter((request) => request.path === '/cards' && request.method === 'POST'),
		).toHaveLength(1);

		// A network error: nothing listens on the credential's port.
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
		const { port } = closed.address() as AddressInfo;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		await run(
			{ resource: 'wallet', operation: 'get' },
			{ continueOnFail: false, credential: credential({ baseUrl: `http://127.0.0.1:${port}/v1` }) },
		);

		// Trigger refusals of deliveries that carry the secrets.
		const trigger = await TriggerHarness.start({
			credential: credential(),
			events: ['card.frozen'],
		});
		try {
			await trigger.activate();
			const secret = trigger.signingSecret;
			const body = Buffer.from(
				JSON.stringify({
					id: 'evt_Hygiene001',
					type: 'card.frozen',
					created_at: new Date().toISOString(),
					data: { pan, cvv, key },
				}),
			);
			const forged: Array<Record<string, string>> = [
				{},
				{ [HEADERS.signature]: computeSignature(body, 'whsec_wrong') },
				{ [HEADERS.signature]: key },
			];
			for (const headers of forged) {
				const { status, body: answer } = await trigger.post(body, headers);
				expect(status).toBe(401);
				errorTexts.push(answer);
			}
			const notAnEvent = Buffer.from(echo);
			const refused = await trigger.post(notAnEvent, {
				'Content-Type': 'text/plain',
				[HEADERS.signature]: computeSignature(notAnEvent, secret),
			});
			expect(refused.status).toBe(400);
			errorTexts.push(refused.body);
			expect(trigger.executions).toHaveLength(0);
		} finally {
			await trigger.stop();
		}

		const found = [...lines, ...errorTexts].flatMap((text) =>
			leaks(text).map((secret) => `${secret} in: ${text.slice(0, 300)}`),
		);
		console.log(
			`R4 card data hygiene: ${lines.length} log lines and ${errorTexts.length} error texts scanned, secrets found: ${found.length}`,
		);
		// The scan is not vacuous: the engine logged each failed node, and the echoing API error was seen.
		expect(lines.some((line) => line.includes('finished with error'))).toBe(true);
		expect(errorTexts.some((text) => text.includes('req_Echo000001'))).toBe(true);
		expect(found).toEqual([]);
	}, 60_000);
});

it('Get Details without Include Sensitive Data outputs no CVV and the number masked to BIN and last 4', async () => {
	const { items, error } = await runNode(
		{ parameters: { resource: 'card', operation: 'getDetails', cardId: locator(card.id) } },
		{ credential: credential() },
	);
	expect(error).toBeUndefined();
	const output = items[0].json;
	expect(output.pan).toBe(
		`${details.pan.slice(0, 6)}${'*'.repeat(details.pan.length - 10)}${details.pan.slice(-4)}`,
	);
	expect(output.cvv).toBeNull();
	expect(output.masked).toBe(true);
	expect(leaks(textOf(items))).toEqual([]);
	expect(JSON.stringify(items)).not.toContain(
		details.cvv === '000' ? details.pan : `"${details.cvv}"`,
	);
});
