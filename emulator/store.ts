/** The emulator's whole in-memory state: one account, money in integer cents. */
import { ERROR_SLUGS } from '../nodes/PrivCards/contract';
import type {
	Bin,
	CardStatus,
	ChallengeStatus,
	CryptoCurrency,
	DeclineReason,
	DepositStatus,
	Merchant,
	TransactionType,
} from '../nodes/PrivCards/contract';
import { ApiError, notFound } from './api-error';
import type { Cents } from './money';
import { currentSecond, type Clock } from './time';

export interface CardRecord {
	id: string;
	bin: Bin;
	pan: string;
	cvv: string;
	status: CardStatus;
	balance: Cents;
	spendingLimit: Cents;
	label: string | null;
	allowedCategories: string[];
	autoFreezeAt: Cents | null;
	metadata: Record<string, string>;
	createdAt: Date;
	expiresAt: Date;
}

export interface TransactionRecord {
	id: string;
	cardId: string;
	type: TransactionType;
	amount: Cents;
	merchant: Merchant;
	declineReason: DeclineReason | null;
	authorizationId: string | null;
	createdAt: Date;
}

export interface ChallengeRecord {
	id: string;
	cardId: string;
	merchant: string;
	amount: Cents;
	otp: string;
	status: ChallengeStatus;
	expiresAt: Date;
}

export interface DepositRecord {
	id: string;
	currency: CryptoCurrency;
	amount: number;
	amountUsd: Cents;
	status: DepositStatus;
	txHash: string;
	createdAt: Date;
	confirmedAt: Date | null;
}

/**
 * How the webhook routes behave where a real API may differ from the emulator's plain default, for tests of the
 * trigger's endpoint matching (see EmulatorOptions.webhookEndpoints).
 */
export interface WebhookEndpointStyle {
	/**
	 * Store each URL rewritten: `true` normalises it (scheme and host in lower case, no default port, a trailing
	 * slash added); a function rewrites it its own way.
	 */
	normalizeUrls?: boolean | ((url: string) => string);
	/** Answer at most this many endpoints a page, whatever `per_page` asked for (the answer's `per_page` says so). */
	maxPerPage?: number;
	/** Leave `has_more` out of list answers (the contract marks it inferred). */
	omitHasMore?: boolean;
}

export interface WebhookRecord {
	id: string;
	url: string;
	events: string[];
	secret: string;
	createdAt: Date;
}

function find<Record>(
	records: Map<string, Record>,
	id: string,
	noun: string,
	param?: string,
): Record {
	const record = records.get(id);
	if (record === undefined) throw notFound(noun, id, param);
	return record;
}

/** Maps keep insertion order, which is creation order: lists read them backwards for newest first. */
export class Store {
	walletBalance: Cents;
	totalDeposited: Cents;
	totalSpent: Cents = 0;
	readonly cards = new Map<string, CardRecord>();
	readonly transactions = new Map<string, TransactionRecord>();
	readonly challenges = new Map<string, ChallengeRecord>();
	readonly deposits = new Map<string, DepositRecord>();
	readonly webhooks = new Map<string, WebhookRecord>();
	webhookStyle: WebhookEndpointStyle = {};

	constructor(
		initialWalletBalance: Cents,
		private readonly clock: Clock,
	) {
		this.walletBalance = initialWalletBalance;
		this.totalDeposited = initialWalletBalance;
	}

	/** Now, to the second: the time stamped on everything the emulator creates. */
	now(): Date {
		return currentSecond(this.clock);
	}

	/** Takes money out of the wallet, or refuses with the documented 400 `insufficient_funds`. */
	debitWallet(amount: Cents): void {
		if (amount > this.walletBalance) {
			throw new ApiError(
				400,
				ERROR_SLUGS.insufficientFunds,
				'Your wallet balance is too low to fund this card.',
				'amount',
			);
		}
		this.walletBalance -= amount;
	}

	card(id: string, param?: string): CardRecord {
		return find(this.cards, id, 'card', param);
	}

	transaction(id: string): TransactionRecord {
		return find(this.transactions, id, 'transaction');
	}

	challenge(id: string): ChallengeRecord {
		return find(this.challenges, id, '3DS challenge');
	}

	deposit(id: string): DepositRecord {
		return find(this.deposits, id, 'deposit');
	}

	webhook(id: string): WebhookRecord {
		return find(this.webhooks, id, 'webhook endpoint');
	}
}

export function newestFirst<Record>(records: Map<string, Record>): Record[] {
	return [...records.values()].reverse();
}
