/** What a route handler is given and gives back, and how its input is validated before it runs. */
import type { Route } from '../../nodes/PrivCards/contract';
import type { EventDispatcher } from '../deliveries';
import { noBodySchema, noQuerySchema, type Schema } from '../schemas';
import type { Store } from '../store';
import { parseInput } from '../validate';
import type { EmulatorState } from '../views';

export interface Reply {
	status: number;
	body: unknown;
}

export interface RequestContext {
	/** Decoded path parameters, named as in the route (`cardId`). */
	params: Readonly<Record<string, string>>;
	/** The query string, one value a name. */
	query: Readonly<Record<string, string>>;
	/** The parsed JSON body; undefined when there is none. */
	body: unknown;
	store: Store;
	state: EmulatorState;
	events: EventDispatcher;
}

export interface RouteInput<Query, Body> extends Omit<RequestContext, 'query' | 'body'> {
	query: Query;
	body: Body;
}

export interface RouteBinding {
	route: Route;
	handle(context: RequestContext): Reply;
}

type NoInput = Record<string, never>;

/**
 * Binds a handler to a contract route. The query and body are parsed with their schemas first (400 naming the
 * field); a route that declares none accepts no query parameters and no body (or `{}`).
 */
export function defineRoute<Query = NoInput, Body = NoInput | undefined>(spec: {
	route: Route;
	query?: Schema<Query>;
	body?: Schema<Body>;
	handle(input: RouteInput<Query, Body>): Reply;
}): RouteBinding {
	// Without a schema the type parameter keeps its default, which is what the default schema yields.
	const querySchema = spec.query ?? (noQuerySchema as Schema<unknown> as Schema<Query>);
	const bodySchema = spec.body ?? (noBodySchema as Schema<unknown> as Schema<Body>);
	return {
		route: spec.route,
		handle: (context) =>
			spec.handle({
				...context,
				query: parseInput(querySchema, context.query, 'query'),
				body: parseInput(bodySchema, context.body, 'body'),
			}),
	};
}

export function ok(body: unknown): Reply {
	return { status: 200, body };
}

export function created(body: unknown): Reply {
	return { status: 201, body };
}
