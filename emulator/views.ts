/** Records (cents, Dates) as the API answers them (USD numbers, ISO times). */
import type {
	Card,
	CardAndWallet,
	Challenge,
	Deposit,
	Transaction,
	Wallet,
	WebhookEndpoint,
} from '../nodes/PrivCards/contract';
import { sumCents } from './money';
import { fromCents } from '../nodes/PrivCards/contract';
import {
	newestFirst,
	type CardRecord,
	type ChallengeRecord,
	type DepositRecord,
	type Store,
	type TransactionRecord,
	type WebhookRecord,
} from './store';
import { isoTime } from './time';

export function cardView(card: CardRecord): Card {
	return {
		id: card.id,
		bin_id: card.bin.id,
		network: card.bin.network,
		last4: card.pan.slice(-4),
		status: card.status,
		balance: fromCents(card.balance),
		spending_limit: fromCents(card.spendingLimit),
		label: card.label,
		allowed_categories: [...card.allowedCategories],
		auto_freeze_at: card.autoFreezeAt === null ? null : fromCents(card.autoFreezeAt),
		metadata: { ...card.metadata },
		created_at: isoTime(card.createdAt),
		expires_at: isoTime(card.expiresAt),
	};
}

export function walletView(store: Store): Wallet {
	const cards = [...store.cards.values()];
	const pending = [...store.deposits.values()].filter((deposit) => deposit.status === 'pending');
	return {
		balance: fromCents(store.walletBalance),
		currency: 'USD',
		pending_deposits: fromCents(sumCents(pending.map((deposit) => deposit.amountUsd))),
		total_deposited: fromCents(store.totalDeposited),
		total_spent: fromCents(store.totalSpent),
		cards_active: cards.filter((card) => card.status === 'active').length,
		cards_total_balance: fromCents(sumCents(cards.map((card) => card.balance))),
	};
}

export function transactionView(transaction: TransactionRecord): Transaction {
	return {
		id: transaction.id,
		card_id: transaction.cardId,
		type: transaction.type,
		amount: fromCents(transaction.amount),
		currency: 'USD',
		merchant: { ...transaction.merchant },
		decline_reason: transaction.declineReason,
		authorization_id: transaction.authorizationId,
		created_at: isoTime(transaction.createdAt),
	};
}

/** A pending challenge whose OTP has run out reads as `expired`. */
export function challengeView(challenge: ChallengeRecord, now: Date): Challenge {
	const expired = challenge.status === 'pending' && now >= challenge.expiresAt;
	return {
		id: challenge.id,
		card_id: challenge.cardId,
		merchant: challenge.merchant,
		amount: fromCents(challenge.amount),
		otp: challenge.otp,
		status: expired ? 'expired' : challenge.status,
		expires_at: isoTime(challenge.expiresAt),
	};
}

export function depositView(deposit: DepositRecord): Deposit {
	return {
		id: deposit.id,
		currency: deposit.currency,
		amount: deposit.amount,
		amount_usd: fromCents(deposit.amountUsd),
		status: deposit.status,
		tx_hash: deposit.txHash,
		created_at: isoTime(deposit.createdAt),
		confirmed_at: deposit.confirmedAt === null ? null : isoTime(deposit.confirmedAt),
	};
}

export function webhookView(webhook: WebhookRecord): WebhookEndpoint {
	return {
		id: webhook.id,
		url: webhook.url,
		events: [...webhook.events],
		status: 'enabled',
		created_at: isoTime(webhook.createdAt),
	};
}

/** Read-only snapshots of the emulator's state, newest first, for tests that look without HTTP. */
export interface EmulatorState {
	wallet(): Wallet;
	cards(): Card[];
	transactions(): Transaction[];
	challenges(): Challenge[];
	deposits(): Deposit[];
	webhooks(): WebhookEndpoint[];
}

export function stateView(store: Store): EmulatorState {
	return {
		wallet: () => walletView(store),
		cards: () => newestFirst(store.cards).map(cardView),
		transactions: () => newestFirst(store.transactions).map(transactionView),
		challenges: () =>
			newestFirst(store.challenges).map((record) => challengeView(record, store.now())),
		deposits: () => newestFirst(store.deposits).map(depositView),
		webhooks: () => newestFirst(store.webhooks).map(webhookView),
	};
}

export function cardAndWalletView(card: CardRecord, store: Store): CardAndWallet {
	return { card: cardView(card), wallet: walletView(store) };
}
