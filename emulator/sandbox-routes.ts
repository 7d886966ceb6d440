/**
 * Simulation routes of the offline emulator (all inferred, docs/privcards-api.md): only `sk_test_` keys may call
 * them, and the node never does, so they are not in the shipped contract; they share its `Route` shape so that the
 * emulator and its tests use one table with the real routes.
 */
import type { Route } from '../nodes/PrivCards/contract';

export const SANDBOX_ROUTES = {
	createDeposit: { method: 'POST', path: '/sandbox/deposits' },
	confirmDeposit: { method: 'POST', path: '/sandbox/deposits/{depositId}/confirm' },
	authorize: { method: 'POST', path: '/sandbox/authorizations' },
	settleTransaction: { method: 'POST', path: '/sandbox/transactions/{transactionId}/settle' },
	refundTransaction: { method: 'POST', path: '/sandbox/transactions/{transactionId}/refund' },
} as const satisfies Record<string, Route>;

export type SandboxRouteName = keyof typeof SANDBOX_ROUTES;
