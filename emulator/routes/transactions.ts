/** Transaction routes: list (filters by card, type and a time range) and get. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { paginateMatching } from '../lists';
import { listTransactionsQuerySchema } from '../schemas';
import { newestFirst, type TransactionRecord } from '../store';
import { transactionView } from '../views';
import { defineRoute, ok, type RouteBinding } from './route';

/** `from` inclusive, `to` exclusive, in epoch ms; a bound left out lets everything through. */
function timeRange(
	from: string | undefined,
	to: string | undefined,
): (transaction: TransactionRecord) => boolean {
	const fromMs = from === undefined ? -Infinity : Date.parse(from);
	const toMs = to === undefined ? Infinity : Date.parse(to);
	return ({ createdAt }) => {
		const time = createdAt.getTime();
		return time >= fromMs && time < toMs;
	};
}

export const transactionRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.listTransactions,
		query: listTransactionsQuerySchema,
		handle: ({ query, store }) => {
			const inRange = timeRange(query.from, query.to);
			const matches = (transaction: TransactionRecord) =>
				(query.card_id === undefined || transaction.cardId === query.card_id) &&
				(query.type === undefined || transaction.type === query.type) &&
				inRange(transaction);
			return ok(paginateMatching(newestFirst(store.transactions), matches, transactionView, query));
		},
	}),
	defineRoute({
		route: ROUTES.getTransaction,
		handle: ({ params, store }) => ok(transactionView(store.transaction(params.transactionId))),
	}),
];
