import type { RecordId } from '../common/recordOperation';

/** What a webhook endpoint looks like in the output, for the operations' descriptions (a sentence without its final period). */
export const ENDPOINT_OUTPUT_NOTE =
	'An endpoint has its ID, URL, subscribed event types (* for all), status and creation time; never the signing secret';

export const WEBHOOK_ID: RecordId = {
	parameter: 'webhookId',
	displayName: 'Webhook ID',
	placeholder: 'wh_3kQ8vN1xZa',
	description: 'The ID of the webhook endpoint',
};
