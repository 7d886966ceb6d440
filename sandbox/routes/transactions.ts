/** Transaction routes: list (filters by card, type and a time range) and get. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import type { Transaction } from '../../nodes/PrivCards/contract';
import { paginate, whereEqual } from '../lists';
import { listTransactionsQuerySchema } from '../schemas';
import { transactionView } from '../views';
import { defineRoute, ok, type RouteBinding } from './route';

/** `from` inclusive, `to` exclusive. */
function withinRange(
	transaction: Transaction,
	from: string | undefined,
	to: string | undefined,
): boolean {
	const time = Date.parse(transaction.created_at);
	return (
		(from === undefined || time >= Date.parse(from)) && (to === undefined || time < Date.parse(to))
	);
}

export const transactionRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.listTransactions,
		query: listTransactionsQuerySchema,
		handle: ({ query, state }) => {
			const matching = whereEqual(state.transactions(), {
				card_id: query.card_id,
				type: query.type,
			});
			const inRange = matching.filter((transaction) =>
				withinRange(transaction, query.from, query.to),
			);
			return ok(paginate(inRange, query));
		},
	}),
	defineRoute({
		route: ROUTES.getTransaction,
		handle: ({ params, store }) => ok(transactionView(store.transaction(params.transactionId))),
	}),
];
