/** Webhook endpoint routes: create (with its secret, once), list, get, delete. */
import {
	LOOPBACK_HOSTS,
	ROUTES,
	WEBHOOK_SECRET_PREFIX,
	WEBHOOK_URL_PROTOCOL,
} from '../../nodes/PrivCards/contract';
import type {
	CreatedWebhookEndpoint,
	DeletedWebhookEndpoint,
} from '../../nodes/PrivCards/contract';
import { invalidRequest } from '../api-error';
import { newId, randomBase62 } from '../ids';
import { paginate } from '../lists';
import { createWebhookBodySchema, pageQuerySchema } from '../schemas';
import type { WebhookRecord } from '../store';
import { webhookView } from '../views';
import { created, defineRoute, ok, type RouteBinding } from './route';

const GENERATED_SECRET_LENGTH = 32;

/** The real API takes HTTPS only; the emulator also takes http:// on the contract's loopback hosts. */
function assertDeliverable(url: string): void {
	const { protocol, hostname } = new URL(url);
	const host = hostname.replace(/^\[(.*)\]$/, '$1');
	const loopback = (LOOPBACK_HOSTS as readonly string[]).includes(host);
	if (protocol === WEBHOOK_URL_PROTOCOL || (protocol === 'http:' && loopback)) return;
	throw invalidRequest(
		'Invalid parameter "url": must be an HTTPS URL (the emulator also takes http:// on loopback hosts).',
		'url',
	);
}

export const webhookRoutes: RouteBinding[] = [
	defineRoute({
		route: ROUTES.createWebhook,
		body: createWebhookBodySchema,
		handle: ({ body, store }) => {
			assertDeliverable(body.url);
			const webhook: WebhookRecord = {
				id: newId('webhook'),
				url: body.url,
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
		handle: ({ query, state }) => ok(paginate(state.webhooks(), query)),
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
