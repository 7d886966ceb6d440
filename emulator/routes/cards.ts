/** Card routes: create, list, get, details, freeze, unfreeze, terminate. */
import { ROUTES, toCents } from '../../nodes/PrivCards/contract';
import type { CardDetails } from '../../nodes/PrivCards/contract';
import { invalidRequest, invalidState } from '../api-error';
import type { EventDispatcher } from '../deliveries';
import { expiryOf, newPan } from '../card-numbers';
import { newId, randomDigits } from '../ids';
import { paginate, whereEqual } from '../lists';
import { createCardBodySchema, listCardsQuerySchema } from '../schemas';
import { findBin } from '../seed';
import type { CardRecord } from '../store';
import { cardAndWalletView, cardView } from '../views';
import { created, defineRoute, ok, type RouteBinding } from './route';

/** 409 `invalid_state` for a terminated card: it can be read, nothing more. */
export function assertNotTerminated(card: CardRecord, action: string): void {
	if (card.status === 'terminated') {
		throw invalidState(`Card "${card.id}" is terminated and cannot be ${action}.`);
	}
}

/** Freezes an active card and says so with `card.frozen`. */
export function freeze(card: CardRecord, events: EventDispatcher): void {
	card.status = 'frozen';
	events.emit('card.frozen', cardView(card));
}

export const cardRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.createCard,
		body: createCardBodySchema,
		handle: ({ body, store, events }) => {
			const bin = findBin(body.bin_id);
			if (bin === undefined) {
				throw invalidRequest(
					`Unknown BIN "${body.bin_id}": GET /bins lists the available ones.`,
					'bin_id',
				);
			}
			const maxMonthly = toCents(bin.max_monthly);
			const spendingLimit =
				body.spending_limit === undefined ? maxMonthly : toCents(body.spending_limit);
			if (spendingLimit > maxMonthly) {
				throw invalidRequest(
					`Invalid parameter "spending_limit": must be at most the BIN's max_monthly (${bin.max_monthly}).`,
					'spending_limit',
				);
			}
			store.debitWallet(toCents(body.amount));
			const issuedAt = store.now();
			const card: CardRecord = {
				id: newId('card'),
				bin,
				pan: newPan(bin.id),
				cvv: randomDigits(3),
				status: 'active',
				balance: toCents(body.amount),
				spendingLimit,
				label: body.label ?? null,
				allowedCategories: body.allowed_categories ?? [],
				autoFreezeAt: body.auto_freeze_at === undefined ? null : toCents(body.auto_freeze_at),
				metadata: body.metadata ?? {},
				createdAt: issuedAt,
				expiresAt: expiryOf(issuedAt),
			};
			store.cards.set(card.id, card);
			events.emit('card.created', cardView(card));
			return created(cardView(card));
		},
	}),
	defineRoute({
		route: ROUTES.listCards,
		query: listCardsQuerySchema,
		handle: ({ query, state }) =>
			ok(
				paginate(whereEqual(state.cards(), { status: query.status, bin_id: query.bin_id }), query),
			),
	}),
	defineRoute({
		route: ROUTES.getCard,
		handle: ({ params, store }) => ok(cardView(store.card(params.cardId))),
	}),
	defineRoute({
		route: ROUTES.getCardDetails,
		handle: ({ params, store }) => {
			const card = store.card(params.cardId);
			assertNotTerminated(card, 'read in full');
			const details: CardDetails = {
				card_id: card.id,
				pan: card.pan,
				cvv: card.cvv,
				exp_month: card.expiresAt.getUTCMonth() + 1,
				exp_year: card.expiresAt.getUTCFullYear(),
			};
			return ok(details);
		},
	}),
	defineRoute({
		route: ROUTES.freezeCard,
		handle: ({ params, store, events }) => {
			const card = store.card(params.cardId);
			assertNotTerminated(card, 'frozen');
			if (card.status === 'active') freeze(card, events);
			return ok(cardView(card));
		},
	}),
	defineRoute({
		route: ROUTES.unfreezeCard,
		handle: ({ params, store, events }) => {
			const card = store.card(params.cardId);
			assertNotTerminated(card, 'unfrozen');
			if (card.status === 'frozen') {
				card.status = 'active';
				events.emit('card.unfrozen', cardView(card));
			}
			return ok(cardView(card));
		},
	}),
	defineRoute({
		route: ROUTES.terminateCard,
		handle: ({ params, store, events }) => {
			const card = store.card(params.cardId);
			assertNotTerminated(card, 'terminated again');
			store.walletBalance += card.balance;
			card.balance = 0;
			card.status = 'terminated';
			events.emit('card.terminated', cardView(card));
			return ok(cardAndWalletView(card, store));
		},
	}),
];
