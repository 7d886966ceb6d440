import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isEventId } from './event';
import { webhookKind } from './parameters';
import type { WebhookKind } from './secret';

/**
 * Event ids kept in n8n's deduplication store per trigger node: n8n reads and writes them as one record for every
 * delivery, so the record is bounded (about 70 bytes an id). Beyond it the oldest go first; a replay of one of those
 * is still refused once its `created_at` leaves the tolerance window.
 */
const MAX_PROCESSED_EVENTS = 5_000;

type Deduplication = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord'>;

function hasDeduplication(helpers: object): helpers is Deduplication {
	return typeof (helpers as Partial<Deduplication>).checkProcessedAndRecord === 'function';
}

/**
 * The event ids among `ids` that no earlier execution of this trigger recorded, recording them. n8n's store reads
 * and writes one record without a lock: the first deliveries of a trigger racing to create it can fail, so a
 * failure is tried once more, and after that every id counts as new. A repeat then runs again, which is better
 * than an event lost.
 */
async function newEventIds(context: IExecuteFunctions, ids: string[]): Promise<Set<string>> {
	const { helpers } = context;
	if (ids.length === 0 || !hasDeduplication(helpers)) return new Set(ids);
	const options = { mode: 'entries' as const, maxEntries: MAX_PROCESSED_EVENTS };
	for (let attempt = 1; ; attempt++) {
		try {
			const { new: fresh } = await helpers.checkProcessedAndRecord(ids, 'node', options);
			return new Set(fresh.map(String));
		} catch (error) {
			if (attempt >= 2) {
				context.logger.warn(
					'PrivCards Trigger could not check for repeated events; passing them on',
					{
						error: (error as Error).message,
					},
				);
				return new Set(ids);
			}
		}
	}
}

/**
 * What the store records for an event: its ID for the published workflow, and the ID marked as a test run's for the editor's test listener. n8n's store is one record per workflow and node whatever
 * the run's mode, and PrivCards sends every event to both URLs: without the mark, whichever run came second would
 * find the event recorded and drop it.
 */
function recordKey(kind: WebhookKind, eventId: string): string {
	return kind === 'test' ? `test:${eventId}` : eventId;
}

/**
 * The trigger's step in the execution a delivery started: drops events an earlier execution of the same kind
 * (published workflow or test listener) already ran (a repeat that reached another n8n process, or came after a
 * restart), then shapes what the workflow receives.
 */
export async function passNewEvents(
	context: IExecuteFunctions,
	outputDataOnly: boolean,
): Promise<INodeExecutionData[]> {
	const kind = webhookKind(context);
	const items = context.getInputData();
	const ids = items.map((item) => item.json.id).filter(isEventId);
	const fresh = await newEventIds(
		context,
		ids.map((id) => recordKey(kind, id)),
	);
	return items.flatMap((item, index) => {
		const { id, data } = item.json;
		if (isEventId(id) && !fresh.has(recordKey(kind, id))) return [];
		const json =
			outputDataOnly && typeof data === 'object' && data !== null
				? (data as IDataObject)
				: item.json;
		return [{ json, pairedItem: { item: index } }];
	});
}
