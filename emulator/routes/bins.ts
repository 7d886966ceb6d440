/** BIN route: the catalogue, unpaginated. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { BINS } from '../seed';
import { defineRoute, ok, type RouteBinding } from './route';

export const binRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.listBins,
		handle: () => ok({ data: BINS }),
	}),
];
