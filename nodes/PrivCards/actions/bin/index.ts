import type { ResourceDefinition } from '../operation';
import { getMany } from './getMany.operation';

export const bin: ResourceDefinition = {
	value: 'bin',
	name: 'BIN',
	description: 'The card ranges (BINs) cards are issued on, with their capabilities and limits',
	operations: [getMany],
	defaultOperation: getMany,
};
