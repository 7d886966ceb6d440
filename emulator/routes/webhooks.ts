/** Webhook endpoint routes: create (with its secret, once), list, get, delete. */
import {
	isHttpsOrLoopback,
	PAGINATION,
	ROUTES,
	WEBHOOK_SECRET_PREFIX,
} from '../../nodes/PrivCards/contract';
import type {
	CreatedWebhookEndpoint,
	DeletedWebhookEndpoint,
	ListPage,
	WebhookEndpoint,
} from '../../nodes/PrivCards/contract';
import { invalidRequest } from '../api-error';
import { newId, randomBase62 } from '../ids';
import { paginate } from '../lists';
import { createWebhookBodySchema, pageQuerySchema } from '../schemas';
import type { WebhookEndpointStyle, WebhookRecord } from '../store';
import { webhookView } from '../views';
import { created, defineRoute, ok, type RouteBinding } from './route';

const GENERATED_SECRET_LENGTH = 32;

/** The real API takes HTTPS only; the emulator also takes http:// on the contract's loopback hosts. */
function assertDeliverable(url: string): void {
	if (isHttpsOrLoopback(new URL(url))) return;
	throw invalidRequest(
		'Invalid parameter "url": must be an HTTPS URL (the emulator also takes http:// on loopback hosts).',
		'url',
	);
}

/** The URL as stored: as given, or normalised the way a real API may (lower-case host, no default port, a final slash). */
function storedUrl(url: string, { normalizeUrls }: WebhookEndpointStyle): string {
	if (typeof normalizeUrls === 'function') return normalizeUrls(url);
	if (normalizeUrls !== true) return url;
	const parsed = new URL(url);
	if (!parsed.pathname.endsWith('/')) parsed.pathname = `${parsed.pathname}/`;
	return parsed.href;
}

export const webhookRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.createWebhook,
		body: createWebhookBodySchema,
		handle: ({ body, store }) => {
			assertDeliverable(body.url);
			const webhook: WebhookRecord = {
				id: newId('webhook'),
				url: storedUrl(body.url, store.webhookStyle),
				events: body.events,
				secret: body.secret ?? WEBHOOK_SECRET_PREFIX + randomBase62(GENERATED_SECRET_LENGTH),
				createdAt: store.now(),
			};
			store.webhooks.set(webhook.id, webhook);
			const answer: CreatedWebhookEndpoint = { ...webhookView(webhook), secret: webhook.secret };
			return created(answer);
		},
	}),
	defineRoute({
		route: ROUTES.listWebhooks,
		query: pageQuerySchema,
		handle: ({ query, state, store }) => {
			const { maxPerPage, omitHasMore } = store.webhookStyle;
			const perPage = query.per_page ?? PAGINATION.defaultPerPage;
			const page: Partial<ListPage<WebhookEndpoint>> = paginate(state.webhooks(), {
				...query,
				per_page: Math.min(perPage, maxPerPage ?? perPage),
			});
			if (omitHasMore === true) delete page.has_more;
			return ok(page);
		},
	}),
	defineRoute({
		route: ROUTES.getWebhook,
		handle: ({ params, store }) => ok(webhookView(store.webhook(params.webhookId))),
	}),
	defineRoute({
		route: ROUTES.deleteWebhook,
		handle: ({ params, store }) => {
			const webhook = store.webhook(params.webhookId);
			store.webhooks.delete(webhook.id);
			const answer: DeletedWebhookEndpoint = { id: webhook.id, deleted: true };
			return ok(answer);
		},
	}),
];
