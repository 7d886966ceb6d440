/** Wallet routes: balances, deposit addresses, incoming deposits. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { paginate, whereEqual } from '../lists';
import { depositAddressesQuerySchema, listDepositsQuerySchema } from '../schemas';
import { DEPOSIT_ADDRESSES } from '../seed';
import { walletView } from '../views';
import { defineRoute, ok, type RouteBinding } from './route';

export const walletRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.getWallet,
		handle: ({ store }) => ok(walletView(store)),
	}),
	defineRoute({
		route: ROUTES.listDepositAddresses,
		query: depositAddressesQuerySchema,
		handle: ({ query }) =>
			ok({ data: whereEqual(DEPOSIT_ADDRESSES, { currency: query.currency }) }),
	}),
	defineRoute({
		route: ROUTES.listDeposits,
		query: listDepositsQuerySchema,
		handle: ({ query, state }) =>
			ok(paginate(whereEqual(state.deposits(), { status: query.status }), query)),
	}),
];
