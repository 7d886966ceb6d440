import type { WebhookEndpoint } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { ENDPOINT_OUTPUT_NOTE, WEBHOOK_ID } from './webhookEndpoint';

export const get = recordOperation<WebhookEndpoint>({
	value: 'get',
	name: 'Get',
	action: 'Get a webhook',
	description: `Get one webhook endpoint by its ID. ${ENDPOINT_OUTPUT_NOTE}.`,
	route: 'getWebhook',
	id: WEBHOOK_ID,
});
