/**
 * Every route, limit and convention of the PrivCards API v1 (docs/privcards-api.md), in one place.
 * `[inferred]` marks a choice the public documentation does not state (docs/privcards-api.md marks it the same way):
 * when the real API says otherwise, the correction is a change to this file only.
 */
import type { CardNetwork, CryptoCurrency, DeclineReason, TransactionType } from './types';

export const DEFAULT_BASE_URL = 'https://api.privcards.com/v1';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface Route {
	method: HttpMethod;
	/** Relative to the base URL; `{name}` segments are path parameters. */
	path: string;
	/** The route answers a paginated list (`page`, `per_page`, `has_more`). */
	paginated?: true;
	/**
	 * The list's exclusive upper time filter [inferred from `from` inclusive, `to` exclusive]: a Return All pins
	 * it at the listing's start, so records arriving meanwhile push no page.
	 */
	windowEnd?: string;
	/** The list's inclusive lower time filter [inferred name]: the polling trigger's cursor. */
	windowStart?: string;
}

export const ROUTES = {
	createCard: { method: 'POST', path: '/cards' }, // [doc]
	listCards: { method: 'GET', path: '/cards', paginated: true }, // [doc]
	getCard: { method: 'GET', path: '/cards/{cardId}' }, // [inferred]
	getCardDetails: { method: 'GET', path: '/cards/{cardId}/details' }, // [inferred]
	freezeCard: { method: 'POST', path: '/cards/{cardId}/freeze' }, // [inferred]
	unfreezeCard: { method: 'POST', path: '/cards/{cardId}/unfreeze' }, // [inferred]
	terminateCard: { method: 'POST', path: '/cards/{cardId}/terminate' }, // [inferred]
	fundCard: { method: 'POST', path: '/cards/{cardId}/fund' }, // [inferred]
	withdrawFromCard: { method: 'POST', path: '/cards/{cardId}/withdraw' }, // [inferred]
	listTransactions: {
		method: 'GET',
		path: '/transactions',
		paginated: true,
		windowStart: 'from',
		windowEnd: 'to',
	}, // [doc]
	getTransaction: { method: 'GET', path: '/transactions/{transactionId}' }, // [inferred]
	getWallet: { method: 'GET', path: '/wallet' }, // [doc]
	listDepositAddresses: { method: 'GET', path: '/wallet/deposit-addresses' }, // [inferred]
	listDeposits: { method: 'GET', path: '/wallet/deposits', paginated: true }, // [inferred]
	listBins: { method: 'GET', path: '/bins' }, // [doc]
	listChallenges: { method: 'GET', path: '/3ds', paginated: true }, // [inferred]
	getChallenge: { method: 'GET', path: '/3ds/{challengeId}' }, // [inferred]
	createWebhook: { method: 'POST', path: '/webhooks' }, // [inferred]
	listWebhooks: { method: 'GET', path: '/webhooks', paginated: true }, // [inferred]
	getWebhook: { method: 'GET', path: '/webhooks/{webhookId}' }, // [inferred]
	deleteWebhook: { method: 'DELETE', path: '/webhooks/{webhookId}' }, // [inferred]
} as const satisfies Record<string, Route>;

export type RouteName = keyof typeof ROUTES;

export const ID_PREFIXES = {
	card: 'card_',
	transaction: 'txn_',
	challenge: '3ds_',
	webhook: 'wh_',
	deposit: 'dep_',
	event: 'evt_',
	request: 'req_',
} as const;

/** Path parameter name → the id prefix it must carry. `card_`, `3ds_` documented; the rest inferred. */
export const PATH_PARAMETER_PREFIXES = {
	cardId: ID_PREFIXES.card,
	transactionId: ID_PREFIXES.transaction,
	challengeId: ID_PREFIXES.challenge,
	webhookId: ID_PREFIXES.webhook,
} as const;

export type PathParameter = keyof typeof PATH_PARAMETER_PREFIXES;

/**
 * Ids are a prefix and base62 characters. The contract says 10 characters, but the documentation's own
 * example `3ds_m4n5o6p7` has 8, so the length is kept loose: the charset is what keeps a path safe.
 */
export const ID_BODY_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/**
 * A BIN id is the card range's leading digits: 6 in every documented example (`491653`), 8 allowed for the
 * longer BINs networks now issue [inferred]. Checked before a request, so a typo is named at once.
 */
export const BIN_ID_PATTERN = /^\d{6}(?:\d{2})?$/;

/** The random part of an id the API issues: 10 base62 characters (documented for `card_` and `req_`). */
export const ID_BODY_LENGTH = 10;

export const HEADERS = {
	idempotencyKey: 'X-Idempotency-Key',
	requestId: 'X-Request-Id',
	idempotentReplayed: 'Idempotent-Replayed',
	retryAfter: 'Retry-After',
	signature: 'X-PrivCards-Signature',
	event: 'X-PrivCards-Event',
	delivery: 'X-PrivCards-Delivery',
} as const;

export const LIVE_KEY_PREFIX = 'sk_live_';
export const TEST_KEY_PREFIX = 'sk_test_';
export const API_KEY_PREFIXES = [LIVE_KEY_PREFIX, TEST_KEY_PREFIX] as const;
/** `sk_live_ or sk_test_`, as messages name the accepted keys. */
export const API_KEY_PREFIXES_TEXT = API_KEY_PREFIXES.join(' or ');

/** Webhook URLs are HTTPS [doc]; plain http only on a loopback host, for local development against an emulator [inferred]. */
const WEBHOOK_URL_PROTOCOL = 'https:';

/** The loopback hosts as messages name them. */
export const LOOPBACK_HOSTS_TEXT = 'localhost, 127.x.x.x, [::1]';

/** 127.0.0.0/8, `localhost` and `::1` (bracketed or not): hosts plain http never leaves the machine for. */
function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Whether a parsed URL may carry the API key or receive deliveries: HTTPS, or plain http to a loopback host. The
 * Base URL check, the node's webhook URLs and the emulator's webhook URLs all ask this.
 */
export function isHttpsOrLoopback({
	protocol,
	hostname,
}: {
	protocol: string;
	hostname: string;
}): boolean {
	return protocol === WEBHOOK_URL_PROTOCOL || (protocol === 'http:' && isLoopbackHost(hostname));
}

/**
 * How a webhook URL is compared with the ones the API lists [inferred]: an API may store the URL it was given in
 * another spelling (scheme and host in lower case, no default port, a trailing slash added or dropped), so both are
 * compared in this form. `https://N8N.example.com:443/webhook/x/` and `https://n8n.example.com/webhook/x` are one
 * URL; a URL that does not parse is compared as written.
 */
export function comparableWebhookUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return url;
	}
	const path = parsed.pathname.replace(/\/+$/, '');
	return `${parsed.protocol}//${parsed.host}${path}${parsed.search}`;
}

/** Prefix of the signing secret the API generates when a webhook is created without one [doc]. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** How long the API keeps a key's first successful response (inferred, Stripe-like). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * The transaction type that takes money off a card [inferred: an authorization holds the amount at once; its
 * settlement takes nothing more, a decline nothing at all]. Top Up keys its funding by the card's latest one.
 */
export const CARD_DEBIT_TRANSACTION_TYPE: TransactionType = 'authorization';

export const PAGINATION = {
	firstPage: 1,
	defaultPerPage: 25,
	maxPerPage: 100,
} as const;

/** USD, at most 2 decimals, limits inclusive. */
export const AMOUNT_LIMITS = { min: 1, max: 5000 } as const;

export const CARD_LIMITS = {
	labelMaxLength: 64,
	metadataMaxKeys: 20,
	metadataKeyMaxLength: 40,
	metadataValueMaxLength: 500,
} as const;

/**
 * The API's rate limits, per API key, all at once [doc: the "Rate Limits" panel of the published API reference]:
 * every request counts in `minute` and `hour`, a card create also in `cardCreates`, a Get Details also in
 * `cardDetails` [inferred: which requests count where]. The windows slide (a request counts for the `windowMs` after
 * it arrived) and a refused request counts in none [inferred]. A refusal is 429 `rate_limited` with `Retry-After`:
 * the whole seconds until the request would fit [inferred].
 */
export const RATE_LIMITS = {
	minute: { max: 1000, windowMs: 60_000 }, // [doc] 1,000 requests a minute
	hour: { max: 10_000, windowMs: 3_600_000 }, // [doc] 10,000 requests an hour
	cardCreates: { max: 50, windowMs: 60_000, route: 'createCard' }, // [doc] 50 card creates a minute
	cardDetails: { max: 30, windowMs: 60_000, route: 'getCardDetails' }, // [doc] Get Details 30 a minute
} as const satisfies Record<string, { max: number; windowMs: number; route?: RouteName }>;

export type RateWindowName = keyof typeof RATE_LIMITS;

/** The windows a request of this route counts in, every-request windows first (a simulation route: those only). */
export function rateWindowsOf(route?: RouteName): RateWindowName[] {
	return (Object.keys(RATE_LIMITS) as RateWindowName[]).filter((name) => {
		const window = RATE_LIMITS[name];
		return !('route' in window) || window.route === route;
	});
}

export const CARD_NETWORKS: readonly CardNetwork[] = ['visa', 'mastercard'];
export const CARD_STATUSES = ['active', 'frozen', 'terminated'] as const;
export const TRANSACTION_TYPES: readonly TransactionType[] = [
	'authorization',
	'settlement',
	'refund',
	'decline',
];
export const DECLINE_REASONS: readonly DeclineReason[] = [
	'insufficient_balance',
	'card_frozen',
	'card_terminated',
	'category_not_allowed',
	'spending_limit_exceeded',
	'exceeds_max_transaction',
];
export const CHALLENGE_STATUSES = ['pending', 'approved', 'declined', 'expired'] as const;
export const DEPOSIT_STATUSES = ['pending', 'confirmed'] as const;
export const DEPOSIT_CURRENCIES: readonly CryptoCurrency[] = ['btc', 'eth', 'sol', 'usdt'];

export const EVENT_TYPES = [
	'card.created',
	'card.frozen',
	'card.unfrozen',
	'card.terminated',
	'card.funded',
	'transaction.authorized',
	'transaction.settled',
	'transaction.declined',
	'transaction.refunded',
	'3ds.challenge',
	'deposit.pending',
	'deposit.confirmed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The event that announces each transaction type [inferred: the documented four types and four transaction events
 * pair up by name]. The polling trigger derives transaction events from this.
 */
export const TRANSACTION_EVENTS: Record<TransactionType, EventType> = {
	authorization: 'transaction.authorized',
	settlement: 'transaction.settled',
	decline: 'transaction.declined',
	refund: 'transaction.refunded',
};

export const ALL_EVENTS = '*';

/** Error slugs; only `insufficient_funds` is documented. */
export const ERROR_SLUGS = {
	invalidRequest: 'invalid_request',
	insufficientFunds: 'insufficient_funds',
	insufficientCardBalance: 'insufficient_card_balance',
	missingApiKey: 'missing_api_key',
	invalidApiKey: 'invalid_api_key',
	forbidden: 'forbidden',
	notFound: 'not_found',
	invalidState: 'invalid_state',
	idempotencyKeyReused: 'idempotency_key_reused',
	idempotencyKeyInUse: 'idempotency_key_in_use',
	rateLimited: 'rate_limited',
	internalError: 'internal_error',
	serviceUnavailable: 'service_unavailable',
} as const;

/**
 * Webhook deliveries (inferred): a receiver must answer 2xx within 10 s, else the same event is retried
 * after these delays, 5 attempts in all (about 2.6 hours from the first).
 */
export const WEBHOOK_DELIVERY = {
	responseTimeoutSeconds: 10,
	retryDelaysSeconds: [60, 300, 1800, 7200],
} as const;

/** The whole span over which one event may arrive, first attempt to last retry. */
export const WEBHOOK_RETRY_HORIZON_SECONDS = WEBHOOK_DELIVERY.retryDelaysSeconds.reduce(
	(total, delay) => total + delay,
	0,
);
