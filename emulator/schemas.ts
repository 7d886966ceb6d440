/**
 * zod schemas of every object, list envelope, error body, request body and query of docs/privcards-api.md.
 * Each is typed against the shipped contract types, so the compiler proves emulator and node agree; the
 * emulator validates requests with them and the tests validate answers with them.
 */
import { z } from 'zod';

import {
	ALL_EVENTS,
	AMOUNT_LIMITS,
	CARD_LIMITS,
	CARD_NETWORKS,
	CARD_STATUSES,
	CHALLENGE_STATUSES,
	DECLINE_REASONS,
	DEPOSIT_CURRENCIES,
	DEPOSIT_STATUSES,
	ERROR_SLUGS,
	EVENT_TYPES,
	ID_BODY_LENGTH,
	ID_PREFIXES,
	PAGINATION,
	TRANSACTION_TYPES,
} from '../nodes/PrivCards/contract';
import type {
	AmountBody,
	ApiErrorBody,
	Bin,
	Card,
	CardAndWallet,
	CardDetails,
	Challenge,
	CreateCardBody,
	CreatedWebhookEndpoint,
	CreateWebhookBody,
	DataList,
	DeletedWebhookEndpoint,
	Deposit,
	DepositAddress,
	DepositAddressesQuery,
	ListCardsQuery,
	ListChallengesQuery,
	ListDepositsQuery,
	ListPage,
	ListTransactionsQuery,
	Merchant,
	PageQuery,
	SandboxAuthorizationBody,
	SandboxDepositBody,
	Transaction,
	Wallet,
	WebhookEndpoint,
	WebhookEvent,
} from '../nodes/PrivCards/contract';
import { hasAtMostTwoDecimals } from './money';

/** A schema that reads any JSON (or query strings) and yields the contract type `T`. */
export type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

function oneOf<T extends string>(values: readonly T[]) {
	return z.string().refine((value): value is T => (values as readonly string[]).includes(value), {
		message: `must be one of: ${values.join(', ')}`,
	});
}

function idOf(kind: keyof typeof ID_PREFIXES) {
	return z.string().regex(new RegExp(`^${ID_PREFIXES[kind]}[A-Za-z0-9]{${ID_BODY_LENGTH}}$`));
}

const TWO_DECIMALS = { message: 'must have at most 2 decimals' };
const nonNegativeUsd = z.number().min(0).refine(hasAtMostTwoDecimals, TWO_DECIMALS);
const positiveUsd = z.number().positive().refine(hasAtMostTwoDecimals, TWO_DECIMALS);
/** Amounts of create, fund and withdraw: 1.00–5000.00 inclusive. */
const transferAmount = z
	.number()
	.min(AMOUNT_LIMITS.min, `must be at least ${AMOUNT_LIMITS.min.toFixed(2)}`)
	.max(AMOUNT_LIMITS.max, `must be at most ${AMOUNT_LIMITS.max.toFixed(2)}`)
	.refine(hasAtMostTwoDecimals, TWO_DECIMALS);

/** `2026-04-15T12:00:00Z`, as the API states every time. */
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
/** A client may filter with a date or a date-time with any offset. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const isoInstant = z
	.string()
	.refine((value) => ISO_8601.test(value) && !Number.isNaN(Date.parse(value)), {
		message: 'must be an ISO 8601 date or date-time',
	});

// ---- objects ----

export const cardSchema: Schema<Card> = z
	.object({
		id: idOf('card'),
		bin_id: z.string(),
		network: oneOf(CARD_NETWORKS),
		last4: z.string().regex(/^\d{4}$/),
		status: oneOf(CARD_STATUSES),
		balance: nonNegativeUsd,
		spending_limit: positiveUsd,
		label: z.string().nullable(),
		allowed_categories: z.array(z.string()),
		auto_freeze_at: nonNegativeUsd.nullable(),
		metadata: z.record(z.string()),
		created_at: timestamp,
		expires_at: timestamp,
	})
	.strict();

export const cardDetailsSchema: Schema<CardDetails> = z
	.object({
		card_id: idOf('card'),
		pan: z.string().regex(/^\d{16}$/),
		cvv: z.string().regex(/^\d{3}$/),
		exp_month: z.number().int().min(1).max(12),
		exp_year: z.number().int().min(1000).max(9999),
	})
	.strict();

export const walletSchema: Schema<Wallet> = z
	.object({
		balance: nonNegativeUsd,
		currency: z.literal('USD'),
		pending_deposits: nonNegativeUsd,
		total_deposited: nonNegativeUsd,
		total_spent: nonNegativeUsd,
		cards_active: z.number().int().min(0),
		cards_total_balance: nonNegativeUsd,
	})
	.strict();

export const cardAndWalletSchema: Schema<CardAndWallet> = z
	.object({ card: cardSchema, wallet: walletSchema })
	.strict();

export const binSchema: Schema<Bin> = z
	.object({
		id: z.string().regex(/^\d{6,8}$/),
		network: oneOf(CARD_NETWORKS),
		type: z.string(),
		'3ds': z.boolean(),
		apple_pay: z.boolean(),
		google_pay: z.boolean(),
		max_transaction: positiveUsd,
		max_monthly: positiveUsd,
		acceptance_rate: z.number().min(0).max(100),
		best_for: z.array(z.string()),
	})
	.strict();

export const challengeSchema: Schema<Challenge> = z
	.object({
		id: idOf('challenge'),
		card_id: idOf('card'),
		merchant: z.string(),
		amount: positiveUsd,
		otp: z.string().regex(/^\d{6}$/),
		status: oneOf(CHALLENGE_STATUSES),
		expires_at: timestamp,
	})
	.strict();

const merchantSchema: Schema<Merchant> = z
	.object({ name: z.string(), mcc: z.string(), category: z.string(), country: z.string() })
	.strict();

export const transactionSchema: Schema<Transaction> = z
	.object({
		id: idOf('transaction'),
		card_id: idOf('card'),
		type: oneOf(TRANSACTION_TYPES),
		amount: positiveUsd,
		currency: z.literal('USD'),
		merchant: merchantSchema,
		decline_reason: oneOf(DECLINE_REASONS).nullable(),
		authorization_id: idOf('transaction').nullable(),
		created_at: timestamp,
	})
	.strict();

export const depositAddressSchema: Schema<DepositAddress> = z
	.object({
		currency: oneOf(DEPOSIT_CURRENCIES),
		network: z.string(),
		address: z.string().min(1),
		min_deposit_usd: nonNegativeUsd,
	})
	.strict();

export const depositSchema: Schema<Deposit> = z
	.object({
		id: idOf('deposit'),
		currency: oneOf(DEPOSIT_CURRENCIES),
		amount: z.number().positive(),
		amount_usd: positiveUsd,
		status: oneOf(DEPOSIT_STATUSES),
		tx_hash: z.string().min(1),
		created_at: timestamp,
		confirmed_at: timestamp.nullable(),
	})
	.strict();

const webhookEndpointShape = {
	id: idOf('webhook'),
	url: z.string().url(),
	events: z.array(z.string()).min(1),
	status: z.literal('enabled'),
	created_at: timestamp,
};

export const webhookEndpointSchema: Schema<WebhookEndpoint> = z
	.object(webhookEndpointShape)
	.strict();

export const createdWebhookEndpointSchema: Schema<CreatedWebhookEndpoint> = z
	.object({ ...webhookEndpointShape, secret: z.string().min(1) })
	.strict();

export const deletedWebhookEndpointSchema: Schema<DeletedWebhookEndpoint> = z
	.object({ id: idOf('webhook'), deleted: z.literal(true) })
	.strict();

export const webhookEventSchema: Schema<WebhookEvent> = z
	.object({
		id: idOf('event'),
		type: oneOf(EVENT_TYPES),
		created_at: timestamp,
		data: z.union([cardSchema, transactionSchema, challengeSchema, depositSchema]),
	})
	.strict();

// ---- envelopes ----

/** A paginated list as the emulator answers it: all four inferred fields present. */
export function listPageSchema<Item>(item: Schema<Item>): Schema<Required<ListPage<Item>>> {
	return z
		.object({
			data: z.array(item),
			page: z.number().int().min(PAGINATION.firstPage),
			per_page: z.number().int().min(1).max(PAGINATION.maxPerPage),
			total: z.number().int().min(0),
			has_more: z.boolean(),
		})
		.strict();
}

export function dataListSchema<Item>(item: Schema<Item>): Schema<DataList<Item>> {
	return z.object({ data: z.array(item) }).strict();
}

export const errorBodySchema: Schema<ApiErrorBody> = z
	.object({
		error: oneOf(Object.values(ERROR_SLUGS)),
		message: z.string().min(1),
		code: z.number().int().min(400).max(599),
		request_id: idOf('request'),
		param: z.string().optional(),
	})
	.strict();

// ---- request bodies ----

export const createCardBodySchema: Schema<CreateCardBody> = z
	.object({
		bin_id: z.string().min(1),
		amount: transferAmount,
		label: z.string().max(CARD_LIMITS.labelMaxLength).optional(),
		spending_limit: positiveUsd.optional(),
		allowed_categories: z.array(z.string().min(1)).optional(),
		auto_freeze_at: nonNegativeUsd.optional(),
		metadata: z
			.record(
				z.string().max(CARD_LIMITS.metadataKeyMaxLength),
				z.string().max(CARD_LIMITS.metadataValueMaxLength),
			)
			.refine((metadata) => Object.keys(metadata).length <= CARD_LIMITS.metadataMaxKeys, {
				message: `must have at most ${CARD_LIMITS.metadataMaxKeys} keys`,
			})
			.optional(),
	})
	.strict();

export const amountBodySchema: Schema<AmountBody> = z.object({ amount: transferAmount }).strict();

export const createWebhookBodySchema: Schema<CreateWebhookBody> = z
	.object({
		url: z.string().url(),
		events: z.array(oneOf([...EVENT_TYPES, ALL_EVENTS])).min(1),
		secret: z.string().min(1).optional(),
	})
	.strict();

/** POSTs that take no input (freeze, unfreeze, terminate, confirm, settle, refund): nothing, or `{}`. */
export const noBodySchema: Schema<Record<string, never> | undefined> = z
	.object({})
	.strict()
	.optional();

export const sandboxDepositBodySchema: Schema<SandboxDepositBody> = z
	.object({ currency: oneOf(DEPOSIT_CURRENCIES), amount_usd: positiveUsd })
	.strict();

export const sandboxAuthorizationBodySchema: Schema<SandboxAuthorizationBody> = z
	.object({
		card_id: z.string().min(1),
		amount: positiveUsd,
		merchant: z
			.object({
				name: z.string().min(1),
				mcc: z
					.string()
					.regex(/^\d{4}$/)
					.optional(),
				category: z.string().min(1),
				country: z
					.string()
					.regex(/^[A-Z]{2}$/)
					.optional(),
			})
			.strict(),
		require_3ds: z.boolean().optional(),
	})
	.strict();

// ---- queries (every value arrives as a string) ----

function wholeNumber(min: number, max: number) {
	return z
		.string()
		.regex(/^\d+$/, 'must be a whole number')
		.transform(Number)
		.pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const pageQueryShape = {
	page: wholeNumber(PAGINATION.firstPage, Number.MAX_SAFE_INTEGER).optional(),
	per_page: wholeNumber(1, PAGINATION.maxPerPage).optional(),
};

/** Routes that take no query parameters. */
export const noQuerySchema: Schema<Record<string, never>> = z.object({}).strict();

export const pageQuerySchema: Schema<PageQuery> = z.object(pageQueryShape).strict();

export const listCardsQuerySchema: Schema<ListCardsQuery> = z
	.object({
		...pageQueryShape,
		status: oneOf(CARD_STATUSES).optional(),
		bin_id: z.string().min(1).optional(),
	})
	.strict();

export const listTransactionsQuerySchema: Schema<ListTransactionsQuery> = z
	.object({
		...pageQueryShape,
		card_id: z.string().min(1).optional(),
		type: oneOf(TRANSACTION_TYPES).optional(),
		from: isoInstant.optional(),
		to: isoInstant.optional(),
	})
	.strict();

export const listDepositsQuerySchema: Schema<ListDepositsQuery> = z
	.object({ ...pageQueryShape, status: oneOf(DEPOSIT_STATUSES).optional() })
	.strict();

export const listChallengesQuerySchema: Schema<ListChallengesQuery> = z
	.object({
		...pageQueryShape,
		card_id: z.string().min(1).optional(),
		status: oneOf(CHALLENGE_STATUSES).optional(),
	})
	.strict();

export const depositAddressesQuerySchema: Schema<DepositAddressesQuery> = z
	.object({ currency: oneOf(DEPOSIT_CURRENCIES).optional() })
	.strict();
