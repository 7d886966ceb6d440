import type { WebhookEndpoint } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { ENDPOINT_OUTPUT_NOTICE, WEBHOOK_ID } from './webhookEndpoint';

export const get = recordOperation<WebhookEndpoint>({
	value: 'get',
	name: 'Get',
	action: 'Get a webhook',
	description: 'Get a webhook endpoint by its ID (never its secret)',
	notice: ENDPOINT_OUTPUT_NOTICE,
	route: 'getWebhook',
	id: WEBHOOK_ID,
});
