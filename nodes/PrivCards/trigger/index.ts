export { computeSignature, verifySignature } from './signature';
export { parseEvent } from './event';
export { decideDelivery } from './delivery';
export { passNewEvents } from './processedEvents';
export {
	chosenEvents,
	eventsField,
	EVENTS_SUBTITLE,
	outputDataOnlyOption,
	signingSecretFor,
	toleranceSeconds,
	WEBHOOK_NAME,
	webhookKind,
} from './parameters';
export { isRegistered, register, unregister } from './registration';
export {
	DEFAULT_TOLERANCE_MINUTES,
	isWithinTolerance,
	LATEST_DELIVERY_SECONDS,
	RECENT_EVENTS_PER_TRIGGER,
	recentEventsOf,
} from './replay';
export { readEndpointState } from './state';
export { deriveSigningSecret, secretFingerprint } from './secret';
export type { SigningIdentity, WebhookKind } from './secret';
