/** 3DS routes: challenges and their OTPs. */
import { ROUTES } from '../../nodes/PrivCards/contract';
import { paginate, whereEqual } from '../lists';
import { listChallengesQuerySchema } from '../schemas';
import { challengeView } from '../views';
import { defineRoute, ok, type RouteBinding } from './route';

export const threeDsRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.listChallenges,
		query: listChallengesQuerySchema,
		handle: ({ query, state }) =>
			ok(
				paginate(
					whereEqual(state.challenges(), { card_id: query.card_id, status: query.status }),
					query,
				),
			),
	}),
	defineRoute({
		route: ROUTES.getChallenge,
		handle: ({ params, store }) =>
			ok(challengeView(store.challenge(params.challengeId), store.now())),
	}),
];
