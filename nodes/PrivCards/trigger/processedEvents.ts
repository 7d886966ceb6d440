import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isEventId } from './event';

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
 * The trigger's step in the execution a delivery started: drops events an earlier execution already ran (a repeat
 * that reached another n8n process, or came after a restart), then shapes what the workflow receives.
 */
export async function passNewEvents(
	context: IExecuteFunctions,
	outputDataOnly: boolean,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const ids = items.map((item) => item.json.id).filter(isEventId);
	const fresh = await newEventIds(context, ids);
	return items.flatMap((item, index) => {
		const { id, data } = item.json;
		if (isEventId(id) && !fresh.has(id)) return [];
		const json =
			outputDataOnly && typeof data === 'object' && data !== null
				? (data as IDataObject)
				: item.json;
		return [{ json, pairedItem: { item: index } }];
	});
}
