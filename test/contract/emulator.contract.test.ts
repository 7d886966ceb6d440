/**
 * Contract, emulator and node cannot drift apart: the route tables of docs/privcards-api.md are the contract's
 * `ROUTES` (which the node and the emulator both use) and the emulator's `SANDBOX_ROUTES`, and every route, called on the emulator,
 * answers what the zod schemas of emulator/schemas.ts (typed against the node's contract types) accept: its success,
 * its error bodies, and the events it emits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROUTES } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../../emulator/sandbox-routes';
import type { SandboxRouteName } from '../../emulator/sandbox-routes';
import type { Route, RouteName } from '../../nodes/PrivCards/contract';
import { Client, pathOf } from '../../emulator/client';
import type { ApiResponse } from '../../emulator/client';
import { startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import {
	binSchema,
	cardAndWalletSchema,
	cardDetailsSchema,
	cardSchema,
	challengeSchema,
	createdWebhookEndpointSchema,
	dataListSchema,
	deletedWebhookEndpointSchema,
	depositAddressSchema,
	depositSchema,
	errorBodySchema,
	listPageSchema,
	transactionSchema,
	walletSchema,
	webhookEndpointSchema,
	webhookEventSchema,
} from '../../emulator/schemas';
import type { Schema } from '../../emulator/schemas';

const DOC = readFileSync(join(__dirname, '../../docs/privcards-api.md'), 'utf8');

/** `METHOD /path` with every `{name}` as `{}`: the doc writes `{id}` where the contract names the parameter. */
const routeKey = ({ method, path }: Route) => `${method} ${path.replace(/\{\w+\}/g, '{}')}`;

/** Every `` `METHOD /path` `` in the doc's section under this heading. */
function documentedRoutes(heading: string): string[] {
	const start = DOC.indexOf(`\n## ${heading}`);
	if (start === -1) throw new Error(`docs/privcards-api.md has no section "${heading}"`);
	const end = DOC.indexOf('\n## ', start + 1);
	const section = DOC.slice(start, end === -1 ? undefined : end);
	return [...section.matchAll(/`(GET|POST|DELETE) (\/[^`\s]*)`/g)].map(([, method, path]) =>
		routeKey({ method: method as Route['method'], path }),
	);
}

describe('docs/privcards-api.md and the contract module', () => {
	it("list the same routes: the doc's route table is ROUTES", () => {
		expect(documentedRoutes('Routes').sort()).toEqual(Object.values(ROUTES).map(routeKey).sort());
	});

	it("list the same simulation routes: the doc's sandbox section is SANDBOX_ROUTES", () => {
		expect(documentedRoutes('Sandbox simulation').sort()).toEqual(
			Object.values(SANDBOX_ROUTES).map(routeKey).sort(),
		);
	});
});

/** Ids the calls before have answered, for the calls after. */
type Ids = Record<'cardId' | 'transactionId' | 'challengeId' | 'webhookId' | 'depositId', string>;

interface Call {
	params?: Partial<Ids>;
	query?: Record<string, string | number>;
	body?: unknown;
	/** The status the contract gives this call's success. */
	status: 200 | 201;
	schema: Schema<unknown>;
	/** Keeps an id from the answer for later calls. */
	keep?: (answer: never, ids: Partial<Ids>) => void;
}

/** Keeps the answer's `id` under this name. */
const keepId = (name: keyof Ids) => (answer: { id: string }, ids: Partial<Ids>) => {
	ids[name] = answer.id;
};

/**
 * One successful call of every route, in an order that makes each possible (a card before its details, an
 * authorization before its settlement). Keyed by route name: a route added to the contract without a call here
 * does not compile.
 */
const CALLS: { [name in RouteName]: (ids: Partial<Ids>) => Call } & {
	[name in SandboxRouteName]: (ids: Partial<Ids>) => Call;
} = {
	createCard: () => ({
		body: { bin_id: '491653', amount: 100, label: 'Contract', metadata: { team: 'ads' } },
		status: 201,
		schema: cardSchema,
		keep: keepId('cardId'),
	}),
	listCards: () => ({ query: { per_page: 5 }, status: 200, schema: listPageSchema(cardSchema) }),
	getCard: ({ cardId }) => ({ params: { cardId }, status: 200, schema: cardSchema }),
	getCardDetails: ({ cardId }) => ({ params: { cardId }, status: 200, schema: cardDetailsSchema }),
	freezeCard: ({ cardId }) => ({ params: { cardId }, status: 200, schema: cardSchema }),
	unfreezeCard: ({ cardId }) => ({ params: { cardId }, status: 200, schema: cardSchema }),
	fundCard: ({ cardId }) => ({
		params: { cardId },
		body: { amount: 50 },
		status: 200,
		schema: cardAndWalletSchema,
	}),
	withdrawFromCard: ({ cardId }) => ({
		params: { cardId },
		body: { amount: 10 },
		status: 200,
		schema: cardAndWalletSchema,
	}),
	authorize: ({ cardId }) => ({
		body: {
			card_id: cardId,
			amount: 9.99,
			merchant: { name: 'META ADS', category: 'advertising' },
			require_3ds: true,
		},
		status: 201,
		schema: transactionSchema,
		keep: keepId('transactionId'),
	}),
	settleTransaction: ({ transactionId }) => ({
		params: { transactionId },
		status: 201,
		schema: transactionSchema,
	}),
	refundTransaction: ({ transactionId }) => ({
		params: { transactionId },
		status: 201,
		schema: transactionSchema,
	}),
	listTransactions: ({ cardId }) => ({
		query: { card_id: cardId ?? '', type: 'authorization', from: '2000-01-01' },
		status: 200,
		schema: listPageSchema(transactionSchema),
	}),
	getTransaction: ({ transactionId }) => ({
		params: { transactionId },
		status: 200,
		schema: transactionSchema,
	}),
	listChallenges: ({ cardId }) => ({
		query: { card_id: cardId ?? '' },
		status: 200,
		schema: listPageSchema(challengeSchema),
		keep: (page: { data: Array<{ id: string }> }, ids) => (ids.challengeId = page.data[0]?.id),
	}),
	getChallenge: ({ challengeId }) => ({
		params: { challengeId },
		status: 200,
		schema: challengeSchema,
	}),
	getWallet: () => ({ status: 200, schema: walletSchema }),
	listDepositAddresses: () => ({ status: 200, schema: dataListSchema(depositAddressSchema) }),
	createDeposit: () => ({
		body: { currency: 'usdt', amount_usd: 100 },
		status: 201,
		schema: depositSchema,
		keep: keepId('depositId'),
	}),
	confirmDeposit: ({ depositId }) => ({
		params: { depositId },
		status: 200,
		schema: depositSchema,
	}),
	listDeposits: () => ({
		query: { status: 'confirmed' },
		status: 200,
		schema: listPageSchema(depositSchema),
	}),
	listBins: () => ({ status: 200, schema: dataListSchema(binSchema) }),
	createWebhook: () => ({
		// Subscribed to an event nothing below emits: no delivery is attempted.
		body: { url: 'https://example.com/privcards', events: ['card.created'] },
		status: 201,
		schema: createdWebhookEndpointSchema,
		keep: keepId('webhookId'),
	}),
	listWebhooks: () => ({ status: 200, schema: listPageSchema(webhookEndpointSchema) }),
	getWebhook: ({ webhookId }) => ({
		params: { webhookId },
		status: 200,
		schema: webhookEndpointSchema,
	}),
	deleteWebhook: ({ webhookId }) => ({
		params: { webhookId },
		status: 200,
		schema: deletedWebhookEndpointSchema,
	}),
	terminateCard: ({ cardId }) => ({ params: { cardId }, status: 200, schema: cardAndWalletSchema }),
};

const ALL_ROUTES: Record<string, Route> = { ...ROUTES, ...SANDBOX_ROUTES };
/** Placeholder ids of the right shape that name nothing: a route with path parameters answers 404 for them. */
const UNKNOWN_IDS: Ids = {
	cardId: 'card_0000000000',
	transactionId: 'txn_0000000000',
	challengeId: '3ds_0000000000',
	webhookId: 'wh_0000000000',
	depositId: 'dep_0000000000',
};

let emulator: Emulator;
let client: Client;

beforeAll(async () => {
	emulator = await startEmulator();
	client = new Client(emulator);
});

afterAll(async () => await emulator.stop());

function send(
	route: Route,
	call: Pick<Call, 'params' | 'query' | 'body'>,
	apiKey?: null,
): Promise<ApiResponse> {
	return client.request(route.method, pathOf(route, call.params as Record<string, string>), {
		query: call.query,
		body: call.body,
		apiKey,
	});
}

/** The answer's status and the schema's verdict on its body, with the route named, so a failure says where. */
function verdict(name: string, response: ApiResponse, schema: Schema<unknown>) {
	const parsed = schema.safeParse(response.body);
	return {
		name,
		status: response.status,
		requestId: /^req_[A-Za-z0-9]{10}$/.test(response.headers.get('x-request-id') ?? ''),
		issues: parsed.success
			? []
			: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
	};
}

describe("the emulator's answers, against the schemas", () => {
	it('every route answers its success, and emits its events, in the shape of the contract', async () => {
		const ids: Partial<Ids> = {};
		const results = [];
		for (const [name, callOf] of Object.entries(CALLS)) {
			const call = callOf(ids);
			const response = await send(ALL_ROUTES[name], call);
			results.push({
				...verdict(name, response, call.schema),
				status: response.status,
				expected: call.status,
			});
			if (response.status === call.status) call.keep?.(response.body as never, ids);
		}
		expect(
			results.filter(
				(result) =>
					result.status !== result.expected || result.issues.length > 0 || !result.requestId,
			),
		).toEqual([]);
		expect(Object.keys(CALLS).sort()).toEqual(Object.keys(ALL_ROUTES).sort());

		// The events those calls emitted are webhook events of the contract.
		expect(emulator.events.map((event) => event.type)).toEqual(
			expect.arrayContaining(['card.created', 'transaction.settled', 'deposit.confirmed']),
		);
		expect(
			emulator.events.flatMap((event) => {
				const parsed = webhookEventSchema.safeParse(event);
				return parsed.success ? [] : [{ type: event.type, issues: parsed.error.issues }];
			}),
		).toEqual([]);
	});

	it('every route answers its errors in the shape of the contract', async () => {
		const results = [];
		for (const [name, route] of Object.entries(ALL_ROUTES)) {
			const unauthenticated = await send(route, { params: UNKNOWN_IDS }, null);
			results.push({ ...verdict(name, unauthenticated, errorBodySchema), expected: 401 });
			if (route.path.includes('{')) {
				const unknown = await send(route, {
					params: UNKNOWN_IDS,
					body: name === 'fundCard' || name === 'withdrawFromCard' ? { amount: 10 } : undefined,
				});
				results.push({ ...verdict(name, unknown, errorBodySchema), expected: 404 });
			}
		}
		expect(
			results.filter(
				(result) =>
					result.status !== result.expected || result.issues.length > 0 || !result.requestId,
			),
		).toEqual([]);
	});
});
