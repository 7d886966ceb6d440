/** Transaction routes: list (filters by card, type and a time range) and get. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { paginate } from '../lists';
import { listTransactionsQuerySchema } from '../schemas';
import { newestFirst, type TransactionRecord } from '../store';
import { transactionView } from '../views';
import { defineRoute, ok, type RouteBinding } from './route';

/** `from` inclusive, `to` exclusive. */
function withinRange(
	transaction: TransactionRecord,
	from: string | undefined,
	to: string | undefined,
): boolean {
	const time = transaction.createdAt.getTime();
	return (
		(from === undefined || time >= Date.parse(from)) && (to === undefined || time < Date.parse(to))
	);
}

export const transactionRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.listTransactions,
		query: listTransactionsQuerySchema,
		// Filters the records and builds views of one page only: a long history stays cheap to page through.
		handle: ({ query, store }) => {
			const matching = newestFirst(store.transactions).filter(
				(transaction) =>
					(query.card_id === undefined || transaction.cardId === query.card_id) &&
					(query.type === undefined || transaction.type === query.type) &&
					withinRange(transaction, query.from, query.to),
			);
			const page = paginate(matching, query);
			return ok({ ...page, data: page.data.map(transactionView) });
		},
	}),
	defineRoute({
		route: ROUTES.getTransaction,
		handle: ({ params, store }) => ok(transactionView(store.transaction(params.transactionId))),
	}),
];
