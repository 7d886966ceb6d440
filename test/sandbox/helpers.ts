/** A small fetch client for the emulator, and fixtures the emulator tests share. */
import { ROUTES, SANDBOX_ROUTES } from '../../nodes/PrivCards/contract';
import type { Card, CreateCardBody, Transaction } from '../../nodes/PrivCards/contract';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../sandbox/emulator';
import { cardSchema, errorBodySchema, transactionSchema, type Schema } from '../../sandbox/schemas';

export interface ApiResponse {
	status: number;
	headers: Headers;
	body: unknown;
}

export interface RequestOptions {
	body?: unknown;
	query?: Record<string, string | number>;
	headers?: Record<string, string>;
	/** The API key to send; null sends no Authorization header. Default the emulator's test key. */
	apiKey?: string | null;
}

/** A route path with its `{name}` segments filled in. */
export function pathOf(route: { path: string }, params: Record<string, string> = {}): string {
	return route.path.replace(/\{(\w+)\}/g, (_segment, name: string) =>
		encodeURIComponent(params[name]),
	);
}

export class Client {
	constructor(private readonly emulator: Emulator) {}

	async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
		const url = new URL(this.emulator.baseUrl + path);
		for (const [name, value] of Object.entries(options.query ?? {}))
			url.searchParams.set(name, String(value));
		const apiKey = options.apiKey === undefined ? this.emulator.testKey : options.apiKey;
		const headers: Record<string, string> = { ...options.headers };
		if (apiKey !== null) headers.Authorization = `Bearer ${apiKey}`;
		if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
		const response = await fetch(url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			body: text === '' ? undefined : JSON.parse(text),
		};
	}

	get(
		path: string,
		query?: Record<string, string | number>,
		apiKey?: string | null,
	): Promise<ApiResponse> {
		return this.request('GET', path, { query, apiKey });
	}

	post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
		return this.request('POST', path, { body, headers });
	}

	delete(path: string): Promise<ApiResponse> {
		return this.request('DELETE', path);
	}
}

/** The body, checked against its schema, after the status is asserted. */
export function expectAnswer<T>(response: ApiResponse, status: number, schema: Schema<T>): T {
	expect({ status: response.status, body: response.body }).toMatchObject({ status });
	return schema.parse(response.body);
}

/** Asserts a contract error: status, slug, optional param, and the body's request id equal to the header's. */
export function expectError(
	response: ApiResponse,
	status: number,
	slug: string,
	param?: string,
): void {
	expect({ status: response.status, body: response.body }).toMatchObject({
		status,
		body: { error: slug },
	});
	const body = errorBodySchema.parse(response.body);
	expect(body.code).toBe(status);
	expect(body.request_id).toBe(response.headers.get('x-request-id'));
	if (param !== undefined) expect(body.param).toBe(param);
}

export interface TestBed {
	emulator: Emulator;
	client: Client;
}

/** A fresh emulator per test, stopped after it. */
export function useEmulator(options: EmulatorOptions = {}): TestBed {
	const bed = {} as TestBed;
	beforeEach(async () => {
		bed.emulator = await startEmulator(options);
		bed.client = new Client(bed.emulator);
	});
	afterEach(async () => {
		await bed.emulator.stop();
	});
	return bed;
}

export const VISA_ADVERTISING_BIN = '491653';
export const MASTERCARD_SOFTWARE_BIN = '532610';
export const VISA_NO_3DS_BIN = '445566';

export async function createCard(
	client: Client,
	body: Partial<CreateCardBody> = {},
): Promise<Card> {
	const response = await client.post(ROUTES.createCard.path, {
		bin_id: VISA_ADVERTISING_BIN,
		amount: 500,
		...body,
	});
	return expectAnswer(response, 201, cardSchema);
}

export interface Payment {
	amount: number;
	category?: string;
	require_3ds?: boolean;
}

export async function authorize(
	client: Client,
	card: Card,
	payment: Payment,
): Promise<Transaction> {
	const response = await client.post(SANDBOX_ROUTES.authorize.path, {
		card_id: card.id,
		amount: payment.amount,
		merchant: { name: 'META ADS', category: payment.category ?? 'advertising' },
		require_3ds: payment.require_3ds,
	});
	return expectAnswer(response, 201, transactionSchema);
}

/** A clock tests can move. */
export function movableClock(start = '2026-04-15T12:00:00Z') {
	let current = new Date(start);
	return {
		now: () => current,
		set: (iso: string) => {
			current = new Date(iso);
		},
		advance: (ms: number) => {
			current = new Date(current.getTime() + ms);
		},
	};
}

/** Runs `test` against an emulator of its own, stopped whatever happens. */
export async function withEmulator(
	options: EmulatorOptions,
	test: (bed: TestBed) => Promise<void>,
): Promise<void> {
	const emulator = await startEmulator(options);
	try {
		await test({ emulator, client: new Client(emulator) });
	} finally {
		await emulator.stop();
	}
}
