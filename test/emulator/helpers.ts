/** Fixtures the emulator tests share, with the emulator's client. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import type { Card, CreateCardBody, Transaction } from '../../nodes/PrivCards/contract';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { Client, type ApiResponse } from '../../emulator/client';
import {
	cardSchema,
	errorBodySchema,
	transactionSchema,
	type Schema,
} from '../../emulator/schemas';

export { Client, pathOf } from '../../emulator/client';
export type { ApiResponse } from '../../emulator/client';

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
export async function withEmulator<T>(
	options: EmulatorOptions,
	test: (bed: TestBed) => Promise<T>,
): Promise<T> {
	const emulator = await startEmulator(options);
	try {
		return await test({ emulator, client: new Client(emulator) });
	} finally {
		await emulator.stop();
	}
}
