export { computeSignature, SIGNATURE_SCHEME_PREFIX, verifySignature } from './signature';
export { isEventId, parseEvent, parseEventTime } from './event';
export type { ReceivedEvent } from './event';
export { isChosen, KNOWN_EVENT_SELECTIONS, normalizeEvents, sameEvents, unknownEvents } from './events';
export {
	DEFAULT_TOLERANCE_MINUTES,
	LATEST_DELIVERY_SECONDS,
	MAX_SEEN_EVENTS,
	rememberEvent,
	replayVerdict,
} from './replay';
export type { ReplayVerdict, SeenEvents } from './replay';
export {
	clearState,
	readEndpointState,
	readSeenEvents,
	writeEndpointState,
	writeSeenEvents,
} from './state';
export type { EndpointState } from './state';
