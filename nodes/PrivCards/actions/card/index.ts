import type { ResourceDefinition } from '../operation';
import { create } from './create.operation';
import { freeze } from './freeze.operation';
import { get } from './get.operation';
import { getDetails } from './getDetails.operation';
import { getMany } from './getMany.operation';
import { terminate } from './terminate.operation';
import { unfreeze } from './unfreeze.operation';

export const card: ResourceDefinition = {
	value: 'card',
	name: 'Card',
	description: 'Virtual cards: issue, look up, read details, freeze, unfreeze, terminate',
	operations: [create, get, getMany, getDetails, freeze, unfreeze, terminate],
	defaultOperation: getMany,
};
