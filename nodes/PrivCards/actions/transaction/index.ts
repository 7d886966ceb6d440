import type { ResourceDefinition } from '../operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';

export const transaction: ResourceDefinition = {
	value: 'transaction',
	name: 'Transaction',
	description: 'Card transactions: authorizations, settlements, refunds and declines',
	operations: [getMany, get],
	defaultOperation: getMany,
};
