/**
 * What the workflow tests of the action node share: an emulator with a clock the test moves, data created through
 * the emulator's HTTP API (as a user's sandbox would get it), runs of the node, and the request log.
 */
import { PAGINATION, ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import type { SandboxRouteName } from '../../emulator/sandbox-routes';
import type { Card, Route, RouteName, Transaction } from '../../nodes/PrivCards/contract';
import { startEmulator } from '../../emulator/emulator';
import type { Emulator, EmulatorOptions, LoggedRequest } from '../../emulator/emulator';
import { runNode } from '../../harness/n8n';
import type { RunResult } from '../../harness/n8n';
import { Client, pathOf } from '../emulator/helpers';
import type { IDataObject } from 'n8n-workflow';

/** The emulator's clock starts here and moves one second per record the fixtures create. */
const T0 = Date.parse('2026-04-15T12:00:00Z');

export interface TestApi {
	emulator: Emulator;
	/** The emulator's current time. */
	now(): number;
	/** Sets the emulator's clock. */
	setNow(time: number): void;
	/** A request with the test key, outside the node; answers the parsed body or throws with it. */
	call<T>(route: Route, params?: Record<string, string>, body?: unknown): Promise<T>;
	/** Runs the PrivCards node over the input items (default one empty item). */
	run(
		parameters: IDataObject,
		options?: { input?: IDataObject[]; continueOnFail?: boolean },
	): Promise<RunResult>;
	/** The requests since the last `clearRequests()`. */
	requests(): readonly LoggedRequest[];
	clearRequests(): void;
	stop(): Promise<void>;
}

/** A route's path with its `{name}` segments filled in. */
export const path = pathOf;

export const route = (name: RouteName): Route => ROUTES[name];
export const sandboxRoute = (name: SandboxRouteName): Route => SANDBOX_ROUTES[name];

export async function startTestApi(options: EmulatorOptions = {}): Promise<TestApi> {
	let time = T0;
	const emulator = await startEmulator({
		now: () => new Date(time),
		...options,
		// Fixtures create a few hundred records in a burst: not what the rate limits are about (Get Details' stays).
		rateLimits: { minute: null, hour: null, cardCreates: null, ...options.rateLimits },
	});
	const client = new Client(emulator);
	return {
		emulator,
		now: () => time,
		setNow: (next) => {
			time = next;
		},
		async call<T>(target: Route, params: Record<string, string> = {}, body?: unknown): Promise<T> {
			const response = await client.request(target.method, pathOf(target, params), { body });
			if (response.status >= 300)
				throw new Error(`${target.method} ${target.path}: ${JSON.stringify(response.body)}`);
			time += 1000;
			return response.body as T;
		},
		run: async (parameters, options = {}) =>
			await runNode(
				{ parameters, continueOnFail: options.continueOnFail },
				{
					credential: { apiKey: emulator.testKey, baseUrl: emulator.baseUrl },
					input: options.input,
				},
			),
		requests: () => emulator.requests,
		clearRequests: () => emulator.clearRequests(),
		stop: async () => await emulator.stop(),
	};
}

export async function createCard(
	api: TestApi,
	amount = 1000,
	label = 'Fixture card',
): Promise<Card> {
	return await api.call<Card>(route('createCard'), {}, { bin_id: '491653', amount, label });
}

export async function authorize(
	api: TestApi,
	card: Card,
	amount: number,
	merchant: { name: string; category: string } = { name: 'SPOTIFY', category: 'software' },
	require3ds = false,
): Promise<Transaction> {
	return await api.call<Transaction>(
		sandboxRoute('authorize'),
		{},
		{ card_id: card.id, amount, merchant, require_3ds: require3ds },
	);
}

/** Runs `create` `count` times, one after the other (the records get distinct, increasing times). */
export async function repeat<T>(
	count: number,
	create: (index: number) => Promise<T>,
): Promise<T[]> {
	const created: T[] = [];
	for (let index = 0; index < count; index++) created.push(await create(index));
	return created;
}

/** Records the paging tests create: more than two full pages. */
export const MANY = 2 * PAGINATION.maxPerPage + 1;

/**
 * `returnAll` walks every page at 100 a page and stops at the last; a limit at the page size fetches one page and
 * never the next; a small limit asks for no more than it needs.
 */
export async function expectPaging(
	api: TestApi,
	parameters: IDataObject,
	listRoute: Route,
	total: number,
): Promise<void> {
	const pages = Math.ceil(total / PAGINATION.maxPerPage);
	const listed = (): LoggedRequest[] =>
		api.requests().filter((request) => request.path === listRoute.path);

	api.clearRequests();
	const all = await api.run({ ...parameters, returnAll: true });
	expect(all.error).toBeUndefined();
	expect(all.items).toHaveLength(total);
	expect(new Set(all.items.map((item) => item.json.id)).size).toBe(total);
	expect(api.requests()).toHaveLength(pages);
	expect(
		listed().map((request) => [request.method, request.query.page, request.query.per_page]),
	).toEqual(
		Array.from({ length: pages }, (_, index) => [
			'GET',
			String(index + 1),
			String(PAGINATION.maxPerPage),
		]),
	);

	api.clearRequests();
	const floor = await api.run({ ...parameters, returnAll: false, limit: PAGINATION.maxPerPage });
	expect(floor.items).toHaveLength(PAGINATION.maxPerPage);
	expect(floor.items.map((item) => item.json.id)).toEqual(
		all.items.slice(0, PAGINATION.maxPerPage).map((item) => item.json.id),
	);
	expect(listed().map((request) => [request.query.page, request.query.per_page])).toEqual([
		['1', String(PAGINATION.maxPerPage)],
	]);
	expect(api.requests()).toHaveLength(1);

	api.clearRequests();
	const few = await api.run({ ...parameters, returnAll: false, limit: 3 });
	expect(few.items.map((item) => item.json.id)).toEqual(
		all.items.slice(0, 3).map((item) => item.json.id),
	);
	expect(listed().map((request) => [request.query.page, request.query.per_page])).toEqual([
		['1', '3'],
	]);
	expect(api.requests()).toHaveLength(1);
}

/** A get of an unknown ID: the API's 404 as the node's error, with the request ID a support ticket needs. */
export async function expectNotFound(
	api: TestApi,
	parameters: IDataObject,
	expectedPath: string,
	id: string,
): Promise<void> {
	api.clearRequests();
	const result = await api.run(parameters);
	expect(api.requests()).toHaveLength(1);
	const [request] = api.requests();
	expect([request.method, request.path, request.status]).toEqual(['GET', expectedPath, 404]);
	expect(result.items).toHaveLength(0);
	expect(result.error).toBeDefined();
	expect(result.error?.httpCode).toBe('404');
	expect(result.error?.message).toContain(id);
	expect(result.error?.description).toContain(`request id: ${request.requestId}`);
	expect(result.error?.description).toContain('not_found');
}

/** A parameter refused before any request: the error names the field and the item, and nothing was sent. */
export async function expectRefused(
	api: TestApi,
	parameters: IDataObject,
	field: string,
	problem: RegExp,
): Promise<void> {
	api.clearRequests();
	const result = await api.run(parameters);
	expect(result.items).toHaveLength(0);
	expect(result.error?.message).toContain(field);
	expect(result.error?.message).toMatch(problem);
	expect(result.error?.message).toContain('[item 0]');
	expect(api.requests()).toHaveLength(0);
}

/** The card picker's value as a saved workflow holds it: `mode` "id" (typed or an expression) or "list". */
export function cardLocator(id: string, mode: 'id' | 'list' = 'id'): IDataObject {
	return { __rl: true, mode, value: id };
}
