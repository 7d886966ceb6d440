export { computeSignature, verifySignature } from './signature';
export { parseEvent, parseEventTime } from './event';
export {
	DEFAULT_TOLERANCE_MINUTES,
	LATEST_DELIVERY_SECONDS,
	MAX_SEEN_EVENTS,
	rememberEvent,
	replayVerdict,
} from './replay';
export {
	clearState,
	readEndpointState,
	readSeenEvents,
	writeEndpointState,
	writeSeenEvents,
} from './state';
