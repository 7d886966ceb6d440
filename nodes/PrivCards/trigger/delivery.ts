import type { IDataObject } from 'n8n-workflow';

import { isChosen } from '../contract';
import { parseEvent, parseEventTime } from './event';
import type { ReceivedEvent } from './event';
import { isWithinTolerance } from './replay';
import { verifySignature } from './signature';

export interface Delivery {
	/** The exact body bytes n8n received; undefined when n8n kept none. */
	rawBody: Buffer | undefined;
	/** The X-PrivCards-Signature header. */
	signature: string | undefined;
}

export interface DeliveryRules {
	/** Every secret a legitimate delivery to this URL may be signed with. */
	secrets: readonly string[];
	chosenEvents: readonly string[];
	toleranceSeconds: number;
	nowMs: number;
	/**
	 * Records an accepted event id; false when it was accepted before (a repeat). Called only for a verified,
	 * chosen, timely event, so forged or dropped deliveries never fill the memory.
	 */
	claim(eventId: string, expiresAtMs: number): boolean;
}

export type DeliveryDecision =
	| { verdict: 'accept'; event: ReceivedEvent }
	| { verdict: 'refuse'; statusCode: 400 | 401; body: IDataObject; reason: string }
	| { verdict: 'drop'; statusCode: 200; body: IDataObject; reason: string };

const unsigned = (reason: string): DeliveryDecision => ({
	verdict: 'refuse',
	statusCode: 401,
	body: { error: 'invalid_signature' },
	reason,
});

const dropped = (reason: string): DeliveryDecision => ({
	verdict: 'drop',
	statusCode: 200,
	body: { received: true, ignored: reason },
	reason,
});

/**
 * What the trigger does with one delivery, in the order the checks must run: the signature over the raw bytes
 * first (nothing unverified is parsed or remembered), then the event's shape, the chosen types, the time window,
 * and last whether this event id was accepted before. Only `accept` starts an execution.
 */
export function decideDelivery(delivery: Delivery, rules: DeliveryRules): DeliveryDecision {
	const { rawBody, signature } = delivery;
	if (rawBody === undefined) return unsigned('no raw body to verify');
	if (!rules.secrets.some((secret) => verifySignature(rawBody, signature, secret))) {
		return unsigned('missing or wrong signature');
	}
	const event = parseEvent(rawBody);
	if (event === undefined) {
		return {
			verdict: 'refuse',
			statusCode: 400,
			body: { error: 'not_an_event' },
			reason: 'not an event',
		};
	}
	if (!isChosen(event.type, rules.chosenEvents)) return dropped('event type not chosen');
	const createdAtMs = parseEventTime(event.created_at) as number;
	if (!isWithinTolerance(createdAtMs, rules.nowMs, rules.toleranceSeconds)) return dropped('stale');
	if (!rules.claim(event.id, createdAtMs + rules.toleranceSeconds * 1000))
		return dropped('replayed');
	return { verdict: 'accept', event };
}
