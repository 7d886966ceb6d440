import type { ResourceDefinition } from '../operation';
import { create } from './create.operation';
import { deleteWebhook } from './delete.operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';

export const webhook: ResourceDefinition = {
	value: 'webhook',
	name: 'Webhook',
	description: 'Endpoints PrivCards sends signed event notifications to',
	operations: [create, getMany, get, deleteWebhook],
	defaultOperation: getMany,
};
