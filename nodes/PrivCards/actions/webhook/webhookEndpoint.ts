import type { RecordId } from '../common/recordOperation';

/** What a webhook endpoint looks like in the output: the notice above the operations' fields. */
export const ENDPOINT_OUTPUT_NOTICE =
	'An endpoint has its ID, URL, subscribed event types (* for all), status and creation time, never its signing secret.';

export const WEBHOOK_ID: RecordId = {
	parameter: 'webhookId',
	displayName: 'Webhook ID',
	placeholder: 'wh_3kQ8vN1xZa',
	description: 'Choose the webhook endpoint',
	searchListMethod: 'searchWebhooks',
};
