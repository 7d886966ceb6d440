import {
	ALL_EVENTS,
	EVENT_TYPE_OPTIONS,
	KNOWN_EVENT_SELECTIONS,
	isHttpsOrLoopback,
	LOOPBACK_HOSTS_TEXT,
	unknownEvents,
	WEBHOOK_SECRET_PREFIX,
} from '../../contract';
import type { CreatedWebhookEndpoint, CreateWebhookBody } from '../../contract';
import { apiRequest } from '../../transport';
import { idempotencyOptions, noticeFields } from '../common/fields';
import { invalidInput, readString } from '../common/input';
import { defineOperation } from '../operation';

/** Why a webhook URL is refused, or undefined: HTTPS, or plain http on a loopback host for local use. */
function invalidWebhookUrlReason(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `must be a full URL such as https://example.com/privcards, got "${url.slice(0, 200)}"`;
	}
	if (isHttpsOrLoopback(parsed)) return undefined;
	if (parsed.protocol === 'http:') {
		return `must use https (plain http is only accepted on ${LOOPBACK_HOSTS_TEXT} for local testing), got "${url.slice(0, 200)}"`;
	}
	return `must be an https URL, got "${url.slice(0, 200)}"`;
}

/** The chosen events: a list from the multi-select, or text from an expression (comma-separated or a JSON array). */
function eventList(value: unknown): string[] {
	let list: unknown = value;
	if (typeof value === 'string') {
		const text = value.trim();
		try {
			list = text.startsWith('[') ? JSON.parse(text) : text.split(',');
		} catch {
			list = text.split(',');
		}
	}
	const events = (Array.isArray(list) ? list : [list]).map((event) => String(event ?? '').trim());
	return [...new Set(events.filter((event) => event !== ''))];
}

export const create = defineOperation<CreateWebhookBody>({
	value: 'create',
	name: 'Create',
	action: 'Create a webhook',
	description: 'Register a URL that PrivCards POSTs the chosen events to',
	properties: [
		...noticeFields(
			'To start a workflow on PrivCards events, use the PrivCards Trigger node: it registers and verifies its own webhook. Deliveries are signed with HMAC-SHA256 of the raw body in X-PrivCards-Signature; the output holds the signing secret, shown only this once.',
		),
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://example.com/privcards',
			description:
				'Where PrivCards sends events. Must be HTTPS; plain http only on localhost, 127.0.0.1 or ::1 for local testing.',
		},
		{
			displayName: 'Events',
			name: 'events',
			type: 'multiOptions',
			required: true,
			options: [
				{
					name: 'All Events',
					value: ALL_EVENTS,
					description: 'Every event type, including ones added later',
				},
				...EVENT_TYPE_OPTIONS,
			],
			default: [],
			description: 'The event types to send to the URL',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: `The key PrivCards signs each delivery with. Leave empty to have one generated (${WEBHOOK_SECRET_PREFIX}…); it is in the output.`,
		},
		idempotencyOptions,
	],
	readInput(itemIndex) {
		const url = readString(this, itemIndex, 'url');
		if (url === '') throw invalidInput(this, itemIndex, 'URL', 'is required');
		const urlProblem = invalidWebhookUrlReason(url);
		if (urlProblem !== undefined) throw invalidInput(this, itemIndex, 'URL', urlProblem);

		const events = eventList(this.getNodeParameter('events', itemIndex, []));
		if (events.length === 0)
			throw invalidInput(this, itemIndex, 'Events', 'must name at least one event type');
		const unknown = unknownEvents(events);
		if (unknown.length > 0) {
			throw invalidInput(
				this,
				itemIndex,
				'Events',
				`has unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((event) => `"${event.slice(0, 60)}"`).join(', ')}; known: ${KNOWN_EVENT_SELECTIONS.join(', ')}`,
			);
		}

		const body: CreateWebhookBody = {
			url,
			events: events.includes(ALL_EVENTS) ? [ALL_EVENTS] : events,
		};
		const secret = this.getNodeParameter('secret', itemIndex, '') as unknown;
		if (typeof secret === 'string' && secret.trim() !== '') body.secret = secret;
		return body;
	},
	async execute(body, item) {
		return await apiRequest<CreatedWebhookEndpoint>(this, {
			route: 'createWebhook',
			body: { ...body },
			idempotencyKey: item.idempotencyKey(),
			itemIndex: item.itemIndex,
		});
	},
});
