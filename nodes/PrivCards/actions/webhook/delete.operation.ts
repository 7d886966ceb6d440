import type { DeletedWebhookEndpoint } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { WEBHOOK_ID } from './webhookEndpoint';

export const deleteWebhook = recordOperation<DeletedWebhookEndpoint, { deleted: true; id: string }>(
	{
		value: 'delete',
		name: 'Delete',
		action: 'Delete a webhook',
		description: 'Delete a webhook endpoint: PrivCards stops sending it events',
		notice:
			'An unknown or already deleted ID is an error. The output has deleted (true) and the webhook ID.',
		route: 'deleteWebhook',
		id: WEBHOOK_ID,
		result: (response, id) => ({ deleted: true, id: response.id ?? id }),
	},
);
