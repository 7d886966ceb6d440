/** Funding routes: move money between the wallet and a card. */
import { ERROR_SLUGS, ROUTES, toCents } from '../../nodes/PrivCards/contract';
import { ApiError } from '../api-error';
import { amountBodySchema } from '../schemas';
import { cardAndWalletView, cardView } from '../views';
import { assertNotTerminated } from './cards';
import { defineRoute, ok, type RouteBinding } from './route';

export const fundingRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.fundCard,
		body: amountBodySchema,
		handle: ({ params, body, store, events }) => {
			const card = store.card(params.cardId);
			assertNotTerminated(card, 'funded');
			const amount = toCents(body.amount);
			store.debitWallet(amount);
			card.balance += amount;
			events.emit('card.funded', cardView(card));
			return ok(cardAndWalletView(card, store));
		},
	}),
	defineRoute({
		route: ROUTES.withdrawFromCard,
		body: amountBodySchema,
		handle: ({ params, body, store }) => {
			const card = store.card(params.cardId);
			assertNotTerminated(card, 'withdrawn from');
			const amount = toCents(body.amount);
			if (amount > card.balance) {
				throw new ApiError(
					400,
					ERROR_SLUGS.insufficientCardBalance,
					'The card balance is lower than the amount to withdraw.',
					'amount',
				);
			}
			card.balance -= amount;
			store.walletBalance += amount;
			return ok(cardAndWalletView(card, store));
		},
	}),
];
