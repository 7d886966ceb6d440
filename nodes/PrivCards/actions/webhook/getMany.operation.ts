import type { WebhookEndpoint } from '../../contract';
import { listOperation } from '../common/listOperation';
import { ENDPOINT_OUTPUT_NOTE } from './webhookEndpoint';

export const getMany = listOperation<WebhookEndpoint>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many webhooks',
	description: `List the webhook endpoints PrivCards sends events to. ${ENDPOINT_OUTPUT_NOTE}.`,
	route: 'listWebhooks',
});
