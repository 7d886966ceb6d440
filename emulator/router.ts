/** Every route the emulator serves: the contract's ROUTES and its SANDBOX_ROUTES, matched by method and path. */
import { SANDBOX_ROUTES } from './sandbox-routes';
import type { Route } from '../nodes/PrivCards/contract';
import { binRoutes } from './routes/bins';
import { cardRoutes } from './routes/cards';
import { fundingRoutes } from './routes/funding';
import type { RouteBinding } from './routes/route';
import { sandboxDepositRoutes } from './routes/sandbox-deposits';
import { sandboxPaymentRoutes } from './routes/sandbox-payments';
import { threeDsRoutes } from './routes/threeds';
import { transactionRoutes } from './routes/transactions';
import { walletRoutes } from './routes/wallet';
import { webhookRoutes } from './routes/webhooks';

const BINDINGS: readonly RouteBinding[] = [
	...cardRoutes,
	...fundingRoutes,
	...transactionRoutes,
	...walletRoutes,
	...binRoutes,
	...threeDsRoutes,
	...webhookRoutes,
	...sandboxDepositRoutes,
	...sandboxPaymentRoutes,
];

const SANDBOX_ONLY: ReadonlySet<Route> = new Set(Object.values(SANDBOX_ROUTES));

function isWildcard(segment: string): boolean {
	return segment === '*' || /^\{\w+\}$/.test(segment);
}

function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/**
 * Matches a path against a pattern whose `{name}` (or `*`) segments match any one non-empty segment; answers the
 * decoded `{name}` values, or undefined when the path does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
	const patternSegments = pattern.split('/');
	const pathSegments = path.split('/');
	if (patternSegments.length !== pathSegments.length) return undefined;
	const params: Record<string, string> = {};
	for (const [index, expected] of patternSegments.entries()) {
		const actual = pathSegments[index];
		if (!isWildcard(expected)) {
			if (expected !== actual) return undefined;
			continue;
		}
		const value = decodeSegment(actual);
		if (value === undefined || value === '') return undefined;
		if (expected !== '*') params[expected.slice(1, -1)] = value;
	}
	return params;
}

export interface MatchedRoute {
	binding: RouteBinding;
	params: Record<string, string>;
	/** A simulation route, which only `sk_test_` keys may call. */
	sandboxOnly: boolean;
}

export function findRoute(method: string, path: string): MatchedRoute | undefined {
	for (const binding of BINDINGS) {
		if (binding.route.method !== method) continue;
		const params = matchPath(binding.route.path, path);
		if (params !== undefined)
			return { binding, params, sandboxOnly: SANDBOX_ONLY.has(binding.route) };
	}
	return undefined;
}
