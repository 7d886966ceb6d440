/**
 * Plain TypeScript shapes of the PrivCards REST API v1 (see docs/privcards-api.md).
 * The emulator's zod schemas are typed against these, so the compiler proves both agree.
 */

type IsoDateTime = string;

export type CardNetwork = 'visa' | 'mastercard';
export type CardStatus = 'active' | 'frozen' | 'terminated';

export interface Card {
	id: string;
	bin_id: string;
	network: CardNetwork;
	last4: string;
	status: CardStatus;
	balance: number;
	spending_limit: number;
	label: string | null;
	allowed_categories: string[];
	auto_freeze_at: number | null;
	metadata: Record<string, string>;
	created_at: IsoDateTime;
	expires_at: IsoDateTime;
}

export interface CardDetails {
	card_id: string;
	pan: string;
	cvv: string;
	exp_month: number;
	exp_year: number;
}

export interface Wallet {
	balance: number;
	currency: 'USD';
	pending_deposits: number;
	total_deposited: number;
	total_spent: number;
	cards_active: number;
	cards_total_balance: number;
}

export interface CardAndWallet {
	card: Card;
	wallet: Wallet;
}

export interface Bin {
	id: string;
	network: CardNetwork;
	type: string;
	'3ds': boolean;
	apple_pay: boolean;
	google_pay: boolean;
	max_transaction: number;
	max_monthly: number;
	acceptance_rate: number;
	best_for: string[];
}

export type ChallengeStatus = 'pending' | 'approved' | 'declined' | 'expired';

export interface Challenge {
	id: string;
	card_id: string;
	merchant: string;
	amount: number;
	otp: string;
	status: ChallengeStatus;
	expires_at: IsoDateTime;
}

export type TransactionType = 'authorization' | 'settlement' | 'refund' | 'decline';

export type DeclineReason =
	| 'insufficient_balance'
	| 'card_frozen'
	| 'card_terminated'
	| 'category_not_allowed'
	| 'spending_limit_exceeded'
	| 'exceeds_max_transaction';

export interface Merchant {
	name: string;
	mcc: string;
	category: string;
	country: string;
}

export interface Transaction {
	id: string;
	card_id: string;
	type: TransactionType;
	amount: number;
	currency: 'USD';
	merchant: Merchant;
	decline_reason: DeclineReason | null;
	authorization_id: string | null;
	created_at: IsoDateTime;
}

export type CryptoCurrency = 'btc' | 'eth' | 'sol' | 'usdt';

export interface DepositAddress {
	currency: CryptoCurrency;
	network: string;
	address: string;
	min_deposit_usd: number;
}

export type DepositStatus = 'pending' | 'confirmed';

export interface Deposit {
	id: string;
	currency: CryptoCurrency;
	amount: number;
	amount_usd: number;
	status: DepositStatus;
	tx_hash: string;
	created_at: IsoDateTime;
	confirmed_at: IsoDateTime | null;
}

export interface WebhookEndpoint {
	id: string;
	url: string;
	events: string[];
	status: 'enabled';
	created_at: IsoDateTime;
}

export interface CreatedWebhookEndpoint extends WebhookEndpoint {
	secret: string;
}

export interface DeletedWebhookEndpoint {
	id: string;
	deleted: true;
}

export interface WebhookEvent<Data = Card | Transaction | Challenge | Deposit> {
	id: string;
	type: string;
	created_at: IsoDateTime;
	data: Data;
}

/** A paginated list. Only `data` is documented; the other fields are inferred. */
export interface ListPage<Item> {
	data: Item[];
	page?: number;
	per_page?: number;
	total?: number;
	has_more?: boolean;
}

/** An unpaginated list (`GET /bins`, `GET /wallet/deposit-addresses`). */
export interface DataList<Item> {
	data: Item[];
}

export interface ApiErrorBody {
	error: string;
	message: string;
	code: number;
	request_id: string;
	param?: string;
}

export interface CreateCardBody {
	bin_id: string;
	amount: number;
	label?: string;
	spending_limit?: number;
	allowed_categories?: string[];
	auto_freeze_at?: number;
	metadata?: Record<string, string>;
}

export interface AmountBody {
	amount: number;
}

export interface CreateWebhookBody {
	url: string;
	events: string[];
	secret?: string;
}

/** `page` ≥ 1 and `per_page` 1–100 of every paginated list. */
export interface PageQuery {
	page?: number;
	per_page?: number;
}

export interface ListCardsQuery extends PageQuery {
	status?: CardStatus;
	bin_id?: string;
}

export interface ListTransactionsQuery extends PageQuery {
	card_id?: string;
	type?: TransactionType;
	/** Inclusive. */
	from?: IsoDateTime;
	/** Exclusive. */
	to?: IsoDateTime;
}

export interface ListDepositsQuery extends PageQuery {
	status?: DepositStatus;
}

export interface ListChallengesQuery extends PageQuery {
	card_id?: string;
	status?: ChallengeStatus;
}

export interface DepositAddressesQuery {
	currency?: CryptoCurrency;
}

/** Body of the emulator's `POST /sandbox/deposits` (never sent by the node). */
export interface SandboxDepositBody {
	currency: CryptoCurrency;
	amount_usd: number;
}

/** Body of the emulator's `POST /sandbox/authorizations` (never sent by the node). */
export interface SandboxAuthorizationBody {
	card_id: string;
	amount: number;
	merchant: {
		name: string;
		mcc?: string;
		category: string;
		country?: string;
	};
	require_3ds?: boolean;
}
