/**
 * The emulator's `/sandbox/...` payment routes (sk_test_ keys only): card payments authorized or declined by the
 * card's rules, then settled and refunded.
 */
import { toCents } from '../../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from '../sandbox-routes';
import type { DeclineReason, EventType, Merchant } from '../../nodes/PrivCards/contract';
import { invalidState } from '../api-error';
import { newId, randomDigits } from '../ids';
import { sumCents, type Cents } from '../money';
import { sandboxAuthorizationBodySchema } from '../schemas';
import { CHALLENGE_TTL_MS, MERCHANT_DEFAULTS } from '../seed';
import type { CardRecord, ChallengeRecord, Store, TransactionRecord } from '../store';
import { challengeView, transactionView } from '../views';
import { freeze } from './cards';
import { created, defineRoute, type RequestContext, type Reply, type RouteBinding } from './route';

/** Authorized on the card in the current UTC calendar month. */
function spentThisMonth(store: Store, card: CardRecord): Cents {
	const now = store.now();
	const thisMonth = (date: Date) =>
		date.getUTCFullYear() === now.getUTCFullYear() && date.getUTCMonth() === now.getUTCMonth();
	const authorizations = [...store.transactions.values()].filter(
		(transaction) =>
			transaction.cardId === card.id &&
			transaction.type === 'authorization' &&
			thisMonth(transaction.createdAt),
	);
	return sumCents(authorizations.map((transaction) => transaction.amount));
}

/** Why the card's rules refuse this payment, checked in this order; null when they accept it. */
function declineReason(
	store: Store,
	card: CardRecord,
	amount: Cents,
	category: string,
): DeclineReason | null {
	if (card.status === 'terminated') return 'card_terminated';
	if (card.status === 'frozen') return 'card_frozen';
	if (card.allowedCategories.length > 0 && !card.allowedCategories.includes(category)) {
		return 'category_not_allowed';
	}
	if (amount > toCents(card.bin.max_transaction)) return 'exceeds_max_transaction';
	if (spentThisMonth(store, card) + amount > card.spendingLimit) return 'spending_limit_exceeded';
	if (amount > card.balance) return 'insufficient_balance';
	return null;
}

/** Records a transaction, announces it, and answers it with 201. */
function book(
	{ store, events }: Pick<RequestContext, 'store' | 'events'>,
	fields: Omit<TransactionRecord, 'id' | 'createdAt'>,
	eventType: EventType,
): Reply {
	const transaction: TransactionRecord = {
		id: newId('transaction'),
		createdAt: store.now(),
		...fields,
	};
	store.transactions.set(transaction.id, transaction);
	events.emit(eventType, transactionView(transaction));
	return created(transactionView(transaction));
}

/** Books the settlement or the refund of an authorization, for its full amount. */
function bookFollowUp(
	context: Pick<RequestContext, 'store' | 'events'>,
	authorization: TransactionRecord,
	type: 'settlement' | 'refund',
	eventType: EventType,
): Reply {
	const { cardId, amount, merchant } = authorization;
	const fields = {
		cardId,
		amount,
		merchant,
		type,
		declineReason: null,
		authorizationId: authorization.id,
	};
	return book(context, fields, eventType);
}

/** The settlement or refund booked against an authorization, if any. */
function followUp(store: Store, authorization: TransactionRecord, type: 'settlement' | 'refund') {
	return [...store.transactions.values()].find(
		(transaction) => transaction.authorizationId === authorization.id && transaction.type === type,
	);
}

function openChallenge(
	context: Pick<RequestContext, 'store' | 'events'>,
	card: CardRecord,
	merchant: string,
	amount: Cents,
): void {
	const { store, events } = context;
	const challenge: ChallengeRecord = {
		id: newId('challenge'),
		cardId: card.id,
		merchant,
		amount,
		otp: randomDigits(6),
		status: 'pending',
		expiresAt: new Date(store.now().getTime() + CHALLENGE_TTL_MS),
	};
	store.challenges.set(challenge.id, challenge);
	events.emit('3ds.challenge', challengeView(challenge, store.now()));
}

export const sandboxPaymentRoutes: RouteBinding[] = [
	defineRoute({
		route: SANDBOX_ROUTES.authorize,
		body: sandboxAuthorizationBodySchema,
		handle: (context) => {
			const { body, store, events } = context;
			const card = store.card(body.card_id, 'card_id');
			const amount = toCents(body.amount);
			const merchant: Merchant = {
				name: body.merchant.name,
				mcc: body.merchant.mcc ?? MERCHANT_DEFAULTS.mcc,
				category: body.merchant.category,
				country: body.merchant.country ?? MERCHANT_DEFAULTS.country,
			};
			const payment = { cardId: card.id, amount, merchant, authorizationId: null };
			const reason = declineReason(store, card, amount, merchant.category);
			if (reason !== null) {
				return book(
					context,
					{ ...payment, type: 'decline', declineReason: reason },
					'transaction.declined',
				);
			}
			if (body.require_3ds === true && card.bin['3ds'])
				openChallenge(context, card, merchant.name, amount);
			card.balance -= amount;
			const reply = book(
				context,
				{ ...payment, type: 'authorization', declineReason: null },
				'transaction.authorized',
			);
			if (card.autoFreezeAt !== null && card.balance < card.autoFreezeAt) freeze(card, events);
			return reply;
		},
	}),
	defineRoute({
		route: SANDBOX_ROUTES.settleTransaction,
		handle: (context) => {
			const { params, store } = context;
			const authorization = store.transaction(params.transactionId);
			if (authorization.type !== 'authorization')
				throw invalidState('Only an authorization can be settled.');
			if (followUp(store, authorization, 'settlement') !== undefined) {
				throw invalidState(`Authorization "${authorization.id}" is already settled.`);
			}
			store.totalSpent += authorization.amount;
			return bookFollowUp(context, authorization, 'settlement', 'transaction.settled');
		},
	}),
	defineRoute({
		route: SANDBOX_ROUTES.refundTransaction,
		handle: (context) => {
			const { params, store } = context;
			const target = store.transaction(params.transactionId);
			const authorization =
				target.type === 'settlement' && target.authorizationId !== null
					? store.transaction(target.authorizationId)
					: target;
			if (
				authorization.type !== 'authorization' ||
				followUp(store, authorization, 'settlement') === undefined
			) {
				throw invalidState('Only a settled authorization can be refunded.');
			}
			if (followUp(store, authorization, 'refund') !== undefined) {
				throw invalidState(`Authorization "${authorization.id}" is already refunded.`);
			}
			const card = store.card(authorization.cardId);
			if (card.status === 'terminated') store.walletBalance += authorization.amount;
			else card.balance += authorization.amount;
			store.totalSpent -= authorization.amount;
			return bookFollowUp(context, authorization, 'refund', 'transaction.refunded');
		},
	}),
];
